import NIOCore

/// Watches one connection for its client leaving and tells the connection's `ClientDeparture`.
///
/// Hummingbird does not cancel a handler when its client goes (`HTTPChannelHandler.handleHTTP` awaits the
/// responder in the connection's own task) and allows half-closure, so a client that closes its socket
/// shows up as `inputClosed`, not as the channel closing; NIO reads that end of input even while nobody
/// asks for data. An HTTP/1.1 client that half-closes and still waits for its answer is treated as gone,
/// as nginx does (499).
final class DepartureHandler: ChannelInboundHandler, RemovableChannelHandler {
    /// Request parts pass through untouched; only the connection's events are read.
    typealias InboundIn = NIOAny

    let departure = ClientDeparture()

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case .inputClosed = event as? ChannelEvent { departure.depart() }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        departure.depart()
        context.fireChannelInactive()
    }

    /// The departure of `channel`'s client, if the channel has this handler.
    static func departure(of channel: any Channel) async -> ClientDeparture? {
        try? await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.handler(type: DepartureHandler.self).departure
        }.get()
    }
}
