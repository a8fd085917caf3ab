import Foundation
import StoreTestSupport
import Testing

@testable import Store

@Suite struct RunStoreModelRepliesTests {
    @Test(arguments: StoreBackend.available)
    func aReplyIsKeptUnderItsKeyAcrossReopeningAndNeverReplaced(backend: StoreBackend) throws {
        let database = try FreshDatabase(backend)
        let store = try database.open()
        let key = #"{"endpoint":"http://127.0.0.1:8089/v1","model":"m","request":{"messages":[]}}"#
        #expect(try store.cachedModelReply(key: key) == nil)

        try store.cacheModelReply(#"{"content":"first ✓"}"#, key: key, createdAt: Date())
        try store.cacheModelReply(#"{"content":"second"}"#, key: key, createdAt: Date())
        try store.cacheModelReply(#"{"content":"other"}"#, key: key + " ", createdAt: Date())

        let reopened = try database.open()
        #expect(try reopened.cachedModelReply(key: key) == #"{"content":"first ✓"}"#)
        #expect(try reopened.cachedModelReply(key: key + " ") == #"{"content":"other"}"#)
    }
}
