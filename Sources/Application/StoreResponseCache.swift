import Foundation
import LanguageModels
import Store

/// The language models' response cache in the store (`modelReply`): replies as JSON under their
/// request's key, shared by every run of the database.
public struct StoreResponseCache: ResponseCache {
    public let store: any RunStore

    public init(store: any RunStore) {
        self.store = store
    }

    public func cachedReply(for key: String) async throws -> ChatReply? {
        guard let json = try store.cachedModelReply(key: key) else { return nil }
        // A row that no longer reads as a reply is treated as absent: the request is sent again.
        return try? JSONDecoder().decode(ChatReply.self, from: Data(json.utf8))
    }

    public func cache(_ reply: ChatReply, for key: String) async throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try store.cacheModelReply(String(decoding: try encoder.encode(reply), as: UTF8.self), key: key, createdAt: Date())
    }
}
