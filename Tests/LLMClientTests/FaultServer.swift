import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// An OpenAI-compatible server on a real loopback port whose every answer is scripted: the
/// faults a real model server cannot be made to produce on demand (a 429 with `Retry-After`, a
/// 5xx, a stall past the client's timeout, a body that is not JSON, one cut short).
final class FaultServer: Sendable {
    struct Request: Sendable {
        var method: String
        var path: String
        var headers: [(String, String)]
        var body: String
    }

    struct Response: Sendable {
        var status: Int = 200
        var headers: [(String, String)] = [("Content-Type", "application/json")]
        var body: String
        /// Seconds to wait before answering.
        var delay: Double = 0

        /// A chat completion replying `content`.
        static func completion(_ content: String, finish: String = "stop") -> Response {
            let escaped = String(decoding: try! JSONEncoder().encode(content), as: UTF8.self)
            return Response(
                body: #"{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"#
                    + escaped + #"},"finish_reason":""# + finish + #""}],"usage":{"prompt_tokens":7,"completion_tokens":3,"total_tokens":10}}"#)
        }
    }

    let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    let received = Mutex<[Request]>([])
    /// Requests being answered now, and the most there ever were at once.
    let inFlight = Mutex<(now: Int, most: Int)>((0, 0))
    let script: @Sendable (Int, Request) -> Response
    private let channel: Mutex<(any Channel)?> = Mutex(nil)

    /// - Parameter script: the answer to the n-th request (from 0).
    init(script: @escaping @Sendable (Int, Request) -> Response) {
        self.script = script
    }

    /// Starts listening; the base URL of its API (`http://127.0.0.1:PORT/v1`).
    func start() async throws -> String {
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 16)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(Handler(server: self))
                }
            }
        let channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        self.channel.withLock { $0 = channel }
        return "http://127.0.0.1:\(channel.localAddress!.port!)/v1"
    }

    func stop() async throws {
        if let channel = channel.withLock({ $0 }) { try await channel.close() }
        try await group.shutdownGracefully()
    }

    var requests: [Request] { received.withLock { $0 } }

    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart

        let server: FaultServer
        var head: HTTPRequestHead?
        var body = ""

        init(server: FaultServer) {
            self.server = server
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body = ""
            case .body(var buffer):
                body += buffer.readString(length: buffer.readableBytes) ?? ""
            case .end:
                guard let head else { return }
                let request = Request(
                    method: head.method.rawValue, path: head.uri, headers: head.headers.map { ($0.name, $0.value) },
                    body: body)
                server.inFlight.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
                let index = server.received.withLock { requests in
                    requests.append(request)
                    return requests.count - 1
                }
                let response = server.script(index, request)
                let loop = context.eventLoop
                let write = { [self] in
                    var headers = HTTPHeaders(response.headers)
                    headers.add(name: "Content-Length", value: "\(response.body.utf8.count)")
                    let responseHead = HTTPResponseHead(
                        version: head.version, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
                    context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
                    context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: response.body)))), promise: nil)
                    server.inFlight.withLock { $0.now -= 1 }
                    context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
                }
                if response.delay > 0 {
                    loop.assumeIsolated().scheduleTask(in: .milliseconds(Int64(response.delay * 1000))) { write() }
                } else {
                    write()
                }
            }
        }
    }
}
