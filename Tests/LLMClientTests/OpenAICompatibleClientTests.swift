import Foundation
import LLMClient
import LanguageModels
import Testing

@Suite(.serialized) struct OpenAICompatibleClientTests {
    let request = ChatRequest(messages: [ChatMessage(.system, "be brief"), ChatMessage(.user, "hi")], maximumTokens: 8)

    /// Runs `body` against a fault server answering with `script`, then stops the server.
    func withServer(
        _ script: @escaping @Sendable (Int, FaultServer.Request) -> FaultServer.Response,
        _ body: (String, FaultServer) async throws -> Void
    ) async throws {
        let server = FaultServer(script: script)
        let url = try await server.start()
        do {
            try await body(url, server)
        } catch {
            try await server.stop()
            throw error
        }
        try await server.stop()
    }

    func client(_ url: String, model: String = "m", timeout: Double = 5, retries: Int = 3, concurrent: Int = 4,
                meter: UsageMeter? = nil, key: String? = nil) -> OpenAICompatibleClient {
        OpenAICompatibleClient(
            .init(baseURL: url, model: model, timeout: timeout, retries: retries, firstBackoff: 0.01, longestWait: 5,
                  concurrentRequests: concurrent),
            meter: meter, environment: key.map { [OpenAICompatibleClient.apiKeyVariable: $0] } ?? [:])
    }

    @Test func aCompletionIsSentAsTheAPIWantsAndReadBack() async throws {
        try await withServer({ _, _ in .completion("hello", finish: "length") }) { url, server in
            let reply = try await client(url).complete(request)
            #expect(reply == ChatReply(content: "hello", promptTokens: 7, completionTokens: 3, finishReason: .length))
            let sent = try #require(server.requests.first)
            #expect(sent.method == "POST" && sent.path == "/v1/chat/completions")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(sent.body.utf8)) as? [String: Any])
            #expect(json["model"] as? String == "m")
            #expect(json["max_tokens"] as? Int == 8)
            #expect(json["temperature"] as? Double == 0)
            let messages = try #require(json["messages"] as? [[String: String]])
            #expect(messages == [["role": "system", "content": "be brief"], ["role": "user", "content": "hi"]])
            #expect(!sent.headers.contains { $0.0.lowercased() == "authorization" })
        }
    }

    @Test func a429WithRetryAfterIsWaitedOutAndCounted() async throws {
        try await withServer({ index, _ in
            index == 0
                ? FaultServer.Response(status: 429, headers: [("Retry-After", "1")], body: #"{"error":{"message":"slow down"}}"#)
                : .completion("ok")
        }) { url, server in
            let meter = UsageMeter()
            let started = ContinuousClock.now
            let reply = try await client(url, meter: meter).complete(request)
            #expect(reply.content == "ok")
            #expect(meter.usage.retries == 1)
            #expect(server.requests.count == 2)
            #expect(ContinuousClock.now - started >= .seconds(1))
        }
    }

    @Test func serverErrorsAreRetriedAndThenReported() async throws {
        try await withServer({ index, _ in
            index < 2 ? FaultServer.Response(status: 503, body: "overloaded") : .completion("ok")
        }) { url, server in
            let meter = UsageMeter()
            let content = try await client(url, meter: meter).complete(request).content
            #expect(content == "ok")
            #expect(meter.usage.retries == 2)
        }
        try await withServer({ _, _ in FaultServer.Response(status: 500, body: #"{"error":{"message":"boom"}}"#) }) { url, server in
            await #expect(throws: LLMClientError.status(500, endpoint: url, message: "boom")) {
                try await client(url, retries: 2).complete(request)
            }
            #expect(server.requests.count == 3)
        }
        // A refused request is not sent again.
        try await withServer({ _, _ in FaultServer.Response(status: 400, body: #"{"error":{"message":"bad"}}"#) }) { url, server in
            await #expect(throws: LLMClientError.status(400, endpoint: url, message: "bad")) {
                try await client(url).complete(request)
            }
            #expect(server.requests.count == 1)
        }
    }

    @Test func aStalledReplyTimesOutAndIsRetried() async throws {
        try await withServer({ index, _ in
            var response = FaultServer.Response.completion("late")
            // Far past the 0.5 s timeout, so that a loaded machine's slow timer still fires first.
            if index == 0 { response.delay = 10 }
            return response
        }) { url, server in
            let meter = UsageMeter()
            let content = try await client(url, timeout: 0.5, meter: meter).complete(request).content
            #expect(content == "late")
            #expect(meter.usage.retries == 1)
        }
        try await withServer({ _, _ in
            var response = FaultServer.Response.completion("never")
            // As above: a loaded machine's timer fired only after a stall of 3 s had ended.
            response.delay = 10
            return response
        }) { url, _ in
            await #expect(throws: LLMClientError.timedOut(endpoint: url, seconds: 0.5)) {
                try await client(url, timeout: 0.5, retries: 1).complete(request)
            }
        }
    }

    @Test func bodiesThatAreNotACompletionAreRetriedThenReported() async throws {
        let cut = String(FaultServer.Response.completion("cut short").body.prefix(40))
        try await withServer({ index, _ in
            index == 0 ? FaultServer.Response(body: cut) : index == 1 ? FaultServer.Response(body: "<html>") : .completion("ok")
        }) { url, _ in
            let meter = UsageMeter()
            let content = try await client(url, meter: meter).complete(request).content
            #expect(content == "ok")
            #expect(meter.usage.retries == 2)
        }
        try await withServer({ _, _ in FaultServer.Response(body: "{}") }) { url, _ in
            await #expect(throws: LLMClientError.malformedResponse(endpoint: url, excerpt: "{}")) {
                try await client(url, retries: 1).complete(request)
            }
        }
    }

    @Test func anUnreachableEndpointIsOneLine() async throws {
        // A port just closed: nothing listens there.
        let server = FaultServer { _, _ in .completion("") }
        let url = try await server.start()
        try await server.stop()
        let error = await #expect(throws: LLMClientError.self) { try await client(url, retries: 1).complete(request) }
        guard case .unreachable(let endpoint, _)? = error else {
            Issue.record("expected unreachable, got \(String(describing: error))")
            return
        }
        #expect(endpoint == url)
        #expect(!"\(error!)".contains("\n"))
    }

    @Test func anUnknownModelIsNamedWithTheModelsServed() async throws {
        try await withServer({ _, request in
            request.path.hasSuffix("/models")
                ? FaultServer.Response(body: #"{"object":"list","data":[{"id":"small","object":"model"},{"id":"tiny","object":"model"}]}"#)
                : FaultServer.Response(status: 404, body: #"{"error":{"message":"The model `big` does not exist"}}"#)
        }) { url, server in
            let models = try await client(url, model: "small").availableModels()
            #expect(models == ["small", "tiny"])
            try await client(url, model: "small").checkModel()
            await #expect(throws: LLMClientError.unknownModel("big", endpoint: url, available: ["small", "tiny"])) {
                try await client(url, model: "big").checkModel()
            }
            await #expect(throws: LLMClientError.unknownModel("big", endpoint: url, available: [])) {
                try await client(url, model: "big").complete(request)
            }
        }
    }

    @Test func anEndpointWithoutAListOfModelsIsLetThrough() async throws {
        try await withServer({ _, request in
            request.path.hasSuffix("/models")
                ? FaultServer.Response(status: 404, body: #"{"error":{"message":"no such route: /v1/models"}}"#)
                : .completion("ok")
        }) { url, server in
            try await client(url, model: "any").checkModel()
            let reply = try await client(url, model: "any").complete(request)
            #expect(reply.content == "ok")
            #expect(server.requests.count == 2)
        }
    }

    @Test func theKeyGoesOnlyIntoTheHeaderAndIsRedactedFromErrors() async throws {
        let key = "sk-test-0123456789abcdef"
        try await withServer({ index, _ in
            index == 0 ? .completion("ok") : FaultServer.Response(status: 401, body: #"{"error":{"message":"bad key sk-test-0123456789abcdef"}}"#)
        }) { url, server in
            let chat = client(url, key: key)
            _ = try await chat.complete(request)
            let sent = try #require(server.requests.first)
            #expect(sent.headers.contains { $0.0.lowercased() == "authorization" && $0.1 == "Bearer " + key })
            #expect(!sent.body.contains(key))
            let error = await #expect(throws: LLMClientError.self) { try await chat.complete(request) }
            #expect(!"\(error!)".contains(key))
            #expect("\(error!)".contains("[redacted]"))
            #expect(!"\(chat)".contains(key))
        }
    }

    @Test func noMoreThanTheCapAreInFlight() async throws {
        try await withServer({ _, _ in
            var response = FaultServer.Response.completion("ok")
            response.delay = 0.2
            return response
        }) { url, server in
            let chat = client(url, concurrent: 2)
            try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<6 { group.addTask { try await chat.complete(request).content } }
                for try await content in group { #expect(content == "ok") }
            }
            #expect(server.requests.count == 6)
            #expect(server.inFlight.withLock { $0.most } == 2)
        }
    }
}
