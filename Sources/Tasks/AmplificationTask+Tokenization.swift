extension AmplificationTask {
    /// The task's token strings as a `Vocabulary`.
    public var tokenVocabulary: Vocabulary { Vocabulary(vocabulary) }

    /// The ids of `strings` in this task's vocabulary.
    ///
    /// - Throws: `TokenizationError.unknownToken` for the first string that is not a token.
    public func encode(_ strings: [String]) throws(TokenizationError) -> Tokens {
        try tokenVocabulary.encode(strings)
    }

    /// The token strings of `tokens`.
    ///
    /// - Precondition: every id is in `0..<vocabulary.count`.
    public func decode(_ tokens: Tokens) -> [String] {
        tokenVocabulary.decode(tokens)
    }

    /// `tokens` as one line of text, tokens separated by spaces.
    public func render(_ tokens: Tokens) -> String {
        decode(tokens).joined(separator: " ")
    }
}
