import OutsideInput
import Testing

@Suite struct ErrorTextTests {
    @Test(arguments: [
        ("plain text", "plain text"), ("a\nb", #"a\nb"#), ("a\r\tb", #"a\r\tb"#), (#"say "hi" \ bye"#, #"say \"hi\" \\ bye"#),
        ("a\u{2028}b\u{200B}c\u{0}", #"a\u{2028}b\u{200b}c\u{0}"#), ("naïve ∑ 数", "naïve ∑ 数"),
    ])
    func escapesWhatWouldBreakOrHideALine(text: String, expected: String) {
        #expect(ErrorText.printable(text) == expected)
    }

    @Test func cutsLongTextWithAnEllipsis() {
        let long = String(repeating: "x", count: 10_000)
        #expect(ErrorText.printable(long) == String(repeating: "x", count: ErrorText.limit) + "…")
        #expect(ErrorText.printable(String(repeating: "y", count: ErrorText.limit)) == String(repeating: "y", count: ErrorText.limit))
    }

    @Test func theResultIsAlwaysOneLine() {
        // Every scalar in the first plane, including the separators and surrogate-free controls.
        let all = String(String.UnicodeScalarView((0...0xFFFF).compactMap(Unicode.Scalar.init)))
        var rest = Substring(all)
        while !rest.isEmpty {
            let piece = ErrorText.printable(String(rest.prefix(ErrorText.limit)))
            #expect(!piece.contains { $0.isNewline })
            rest = rest.dropFirst(ErrorText.limit)
        }
    }
}
