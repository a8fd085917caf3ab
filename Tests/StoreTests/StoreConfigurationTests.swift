import Foundation
import Testing

@testable import Store

@Suite struct StoreConfigurationTests {
    @Test func defaultsAreTheDocumentedValues() {
        let configuration = StoreConfiguration()
        #expect(configuration.checkpointsKept == 3)
        #expect(configuration.busyTimeoutSeconds == 10)
        #expect(configuration.syncEveryCommit == false)
        #expect(StoreConfiguration.small == configuration)
    }

    @Test func presetsDifferOnlyWhereTheModelSizeDoes() {
        #expect(StoreConfiguration.tiny.checkpointsKept == 2)
        #expect(StoreConfiguration.tiny.syncEveryCommit == false)
        #expect(StoreConfiguration.paper.checkpointsKept == 2)
        #expect(StoreConfiguration.paper.syncEveryCommit == true)
    }

    @Test(arguments: [StoreConfiguration.tiny, .small, .paper])
    func jsonRoundTripIsExact(configuration: StoreConfiguration) throws {
        let data = try JSONEncoder().encode(configuration)
        #expect(try JSONDecoder().decode(StoreConfiguration.self, from: data) == configuration)
    }
}
