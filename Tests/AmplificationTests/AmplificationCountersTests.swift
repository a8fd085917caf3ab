import Amplification
import Foundation
import PropertyBased
import Testing

@Suite struct AmplificationCountersTests {
    static func counters(_ values: [Int]) -> AmplificationCounters {
        var counters = AmplificationCounters()
        counters.supervisorActions = values[0]
        counters.leafLookups = values[1]
        counters.assistantCalls = values[2]
        counters.assistantQuestions = values[3]
        counters.groundTruthAnswers = values[4]
        counters.loopsDetected = values[5]
        counters.budgetExhaustions = values[6]
        counters.rejectedActions = values[7]
        return counters
    }

    @Test func additionIsFieldwiseCommutativeAndHasZero() async {
        let field = Gen.int(in: 0...1_000).array(of: 8...8)
        await propertyCheck(input: field, field) { a, b in
            let sum = Self.counters(a) + Self.counters(b)
            #expect(sum == Self.counters(zip(a, b).map(+)))
            #expect(sum == Self.counters(b) + Self.counters(a))
            #expect(Self.counters(a) + AmplificationCounters() == Self.counters(a))
        }
    }

    @Test func descriptionNamesEveryCounter() {
        let text = Self.counters([1, 2, 3, 4, 5, 6, 7, 8]).description
        #expect(
            text == "supervisor actions 1, leaf lookups 2, assistant calls 3 (4 questions), ground truth 5, loops 6, budget 7, "
                + "rejected 8")
    }

    /// Counters stored before `rejectedActions` existed read it as 0.
    @Test func countersWithoutRejectionsReadAsZero() throws {
        let json = #"{"supervisorActions":1,"leafLookups":2,"assistantCalls":3,"assistantQuestions":4,"#
            + #""groundTruthAnswers":5,"loopsDetected":6,"budgetExhaustions":7}"#
        let counters = try JSONDecoder().decode(AmplificationCounters.self, from: Data(json.utf8))
        #expect(counters == Self.counters([1, 2, 3, 4, 5, 6, 7, 0]))
        let again = try JSONDecoder().decode(AmplificationCounters.self, from: JSONEncoder().encode(Self.counters([1, 2, 3, 4, 5, 6, 7, 8])))
        #expect(again == Self.counters([1, 2, 3, 4, 5, 6, 7, 8]))
    }
}
