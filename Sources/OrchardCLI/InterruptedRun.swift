import Dispatch
import Foundation
import Storage

/// Ctrl-C or SIGTERM while a run holds OUT's lease: the lease is given back before the process exits
/// (with the status the signal would have given it), so the same command can be run again at once
/// instead of being refused until an S3 lease expires.
enum InterruptedRun {
    /// The signal sources, kept alive for the life of the process; set once, from the main task.
    nonisolated(unsafe) private static var sources: [any DispatchSourceSignal] = []
    /// How long giving the leases back may take before the process exits anyway.
    static let grace: DispatchTimeInterval = .seconds(5)

    /// Handles SIGINT and SIGTERM from now on.
    static func releaseLeasesOnInterrupt() {
        guard sources.isEmpty else { return }
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)  // the source below handles it instead
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { interrupted(by: signalNumber) }
            source.resume()
            sources.append(source)
        }
    }

    private static func interrupted(by signalNumber: Int32) {
        let status = 128 + signalNumber
        guard !HeldLeases.shared.isEmpty else {
            // Nothing to give back (a local lease is the kernel's to release), or a second Ctrl-C.
            FileHandle.standardError.write(Data("\ninterrupted: run the same command again to resume\n".utf8))
            leave(status)
        }
        FileHandle.standardError.write(Data("\ninterrupted: giving back the lease on the output\n".utf8))
        // However slowly the store answers, the process ends within the grace period.
        DispatchQueue.global().asyncAfter(deadline: .now() + grace) { leave(status) }
        Task {
            await HeldLeases.shared.releaseAll()
            FileHandle.standardError.write(Data("run the same command again to resume\n".utf8))
            leave(status)
        }
    }

    /// Ends the process at once: `exit` would run C++ static destructors (the inference libraries') while
    /// worker threads are still inside them, and could crash instead of exiting with `status`.
    private static func leave(_ status: Int32) -> Never {
        fflush(nil)
        _exit(status)
    }
}
