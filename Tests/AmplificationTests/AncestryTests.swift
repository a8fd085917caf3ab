import Amplification
import PropertyBased
import Tasks
import Testing

@Suite struct AncestryTests {
    @Test func appendingSharesThePrefixAndCounts() {
        let root = Ancestry()
        let one = root.appending([1, 2])
        let two = one.appending([3, 4])
        #expect(root.count == 0)
        #expect(one.count == 1)
        #expect(two.count == 2)
        #expect(two.questions == [[3, 4], [1, 2]])
        #expect(one.questions == [[1, 2]])
        #expect(two.contains([1, 2]))
        #expect(!one.contains([3, 4]))
        #expect(!root.contains([1, 2]))
    }

    @Test func containsAgreesWithTheQuestionList() async {
        await propertyCheck(input: Gen.int(in: 0...3).array(of: 2...2).array(of: 0...8), Gen.int(in: 0...3).array(of: 2...2)) {
            chain, probe in
            let ancestry = chain.reduce(Ancestry()) { $0.appending(.tokens($1)) }
            #expect(ancestry.count == chain.count)
            #expect(ancestry.contains(.tokens(probe)) == chain.contains(probe))
            #expect(ancestry.questions == chain.reversed().map(Content.tokens))
        }
    }
}
