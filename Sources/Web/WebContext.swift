import Hummingbird
import NIOCore
import Store

/// Who may use a route.
enum Access: String, Sendable, Equatable, CaseIterable {
    /// Anyone, signed in or not: the sign-in and invitation pages.
    case everyone
    /// Any signed-in person (a supervisor or a researcher).
    case signedIn
    /// Researchers only.
    case researcher

    /// Whether someone with `role` (`nil`: not signed in) may use the route.
    func admits(_ role: UserRole?) -> Bool {
        switch self {
        case .everyone: true
        case .signedIn: role != nil
        case .researcher: role == .researcher
        }
    }
}

/// A signed-in person's session, as a request sees it.
struct SignedIn: Sendable {
    let user: UserRecord
    let tokenHash: String
    /// What every form must carry back.
    let csrfToken: String
}

/// The request context of the web app: the connection's address (for sign-in throttling) and
/// the session, set by the session middleware.
struct WebContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?
    var signedIn: SignedIn?
    /// A signed-in POST's form, read (and its CSRF token checked) before the handler runs.
    var form = Form([:])

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        signedIn = nil
    }

    /// Forms are small; a question file pasted into one is the largest.
    var maxUploadSize: Int { 1 << 20 }
}
