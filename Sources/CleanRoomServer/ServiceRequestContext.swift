public import CleanRoomCore
public import Hummingbird

/// The context of one request: Hummingbird's core storage and the principal the request authenticated as.
public struct ServiceRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The principal of the bearer token, once the authentication middleware has checked it.
    public var principal: Policy.Principal?
    /// The client's address, for limiting failed authentications (`unknown` when the channel has none).
    public let client: String
    /// When the request must be answered by, once the deadline middleware has set it.
    var deadline: RequestDeadline?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.principal = nil
        self.client = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}
