import Foundation
import GRDB

// MARK: - The language models' response cache

extension SQLiteStore {
    public func cachedModelReply(key: String) throws -> String? {
        try pool.read { db in
            try String.fetchOne(db, sql: "SELECT reply FROM modelReply WHERE key = ?", arguments: [key])
        }
    }

    /// - Precondition: neither `key` nor `reply` has a NUL character.
    public func cacheModelReply(_ reply: String, key: String, createdAt: Date) throws {
        StoreRequirements.validateModelReply(reply, key: key)
        try pool.write { db in
            try db.execute(
                sql: "INSERT INTO modelReply (key, reply, createdAt) VALUES (?, ?, ?) ON CONFLICT (key) DO NOTHING",
                arguments: [key, reply, createdAt])
        }
    }
}
