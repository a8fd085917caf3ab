import Testing

/// Checks that an exit test's child trapped with the expected precondition message, not just
/// that it failed somehow (a thrown error fails the child too).
///
/// Optimised builds trap without printing the message, so there only the failing exit is
/// checked; the test command (`scripts/test`) builds for debugging.
enum TrapMessage {
    static func expect(
        _ result: ExitTest.Result?, contains message: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #if DEBUG
            let standardError = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
            #expect(
                standardError.contains(message),
                "the child must trap with \"\(message)\"; its standard error was: \(standardError)",
                sourceLocation: sourceLocation)
        #endif
    }
}
