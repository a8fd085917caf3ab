import Foundation
import Testing

@testable import Store

@Suite struct EvaluatedModelTests {
    @Test func namedModelsAreTheirLiteralSpellings() {
        #expect(
            [EvaluatedModel.x, .amp, .supervised].map(\.rawValue) == ["x", "amp", "supervised"])
        let custom: EvaluatedModel = "hch3"
        #expect(custom == EvaluatedModel(rawValue: "hch3") && custom.description == "hch3")
    }

    @Test func codingUsesThePlainString() throws {
        let data = try JSONEncoder().encode([EvaluatedModel.amp])
        #expect(String(decoding: data, as: UTF8.self) == #"["amp"]"#)
        #expect(try JSONDecoder().decode([EvaluatedModel].self, from: data) == [.amp])
    }
}
