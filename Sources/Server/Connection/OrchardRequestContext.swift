import Hummingbird
import NIOCore

/// Hummingbird's basic context plus the request's connection, from which the classify gate learns
/// when the client leaves.
struct OrchardRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The connection the request arrived on.
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}
