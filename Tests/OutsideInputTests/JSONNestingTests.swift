import OutsideInput
import Testing

@Suite struct JSONNestingTests {
    @Test(arguments: [
        ("[[1]]", 2, false), ("[[[1]]]", 2, true), (#"{"a":[{"b":[]}]}"#, 4, false), (#"{"a":[{"b":[]}]}"#, 3, true),
        (#"["[[[[","\"[[[["]"#, 1, false), ("]]]][[", 2, false),
    ])
    func countsOpenBracketsOutsideStrings(text: String, limit: Int, exceeds: Bool) {
        #expect(JSONNesting.exceeds(limit, in: Array(text.utf8)) == exceeds)
    }

    @Test func theLimitIsFarBelowFoundationsOwn() {
        #expect(JSONNesting.exceeds(JSONNesting.limit, in: Array(String(repeating: "[", count: 513).utf8)))
        #expect(!JSONNesting.exceeds(JSONNesting.limit, in: Array(String(repeating: "[", count: JSONNesting.limit).utf8)))
    }
}
