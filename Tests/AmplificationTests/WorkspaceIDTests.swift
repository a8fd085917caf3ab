#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Amplification
import Foundation
import PropertyBased
import Testing

@Suite struct WorkspaceIDTests {
    static let paths = Gen.int(in: 1...40).array(of: 1...6)

    @Test func printingThenParsingGivesTheSameID() async {
        await propertyCheck(input: Self.paths) { path in
            var id = WorkspaceID(root: path[0])
            for ordinal in path.dropFirst() { id = id.child(ordinal) }
            #expect(id.path == path)
            #expect(WorkspaceID(id.description) == id)
            let encoded = try JSONEncoder().encode(id)
            #expect(try JSONDecoder().decode(WorkspaceID.self, from: encoded) == id)
        }
    }

    /// A parent sorts before its children, and children in the order asked; the parent of a
    /// child is the id it was made from.
    @Test func idsSortInTheTreesOrder() async {
        await propertyCheck(input: Self.paths, Gen.int(in: 1...40), Gen.int(in: 1...40)) { path, first, second in
            guard let id = WorkspaceID(path.map(String.init).joined(separator: ".")) else {
                Issue.record("\(path) did not parse")
                return
            }
            #expect(id < id.child(first))
            #expect(id.child(first).parent == id)
            #expect(id.child(first).depth == id.depth + 1)
            #expect(id.child(first).isWithin(id) && !id.isWithin(id.child(first)))
            #expect((id.child(first) < id.child(second)) == (first < second))
            #expect(id.child(first).child(1) < id.child(first + 1))
        }
    }

    @Test(arguments: ["", ".", "1.", ".1", "0", "1.0", "01", "1..2", "-1", "1.a", "+1", "1 .2", "١", "1234567890"])
    func malformedTextIsNotAnID(text: String) throws {
        #expect(WorkspaceID(text) == nil)
        let json = try JSONEncoder().encode(text)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(WorkspaceID.self, from: json) }
    }

    @Test func aMainQuestionHasNoParent() {
        #expect(WorkspaceID(root: 7).parent == nil)
        #expect(WorkspaceID(root: 7).depth == 0)
        #expect(WorkspaceID("7.3.12")?.description == "7.3.12")
    }
}
