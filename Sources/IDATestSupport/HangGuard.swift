import Testing

extension Trait where Self == TimeLimitTrait {
    /// A time limit that catches a hang (a wait nothing will end), not slowness: a test case's
    /// limit runs from when Swift Testing starts it, and the cases running beside it share the
    /// cooperative threads (one per core) with it and with the tasks they start, so one of a few
    /// milliseconds' work can wait while the others compute.
    public static var hangGuard: Self { .timeLimit(.minutes(5)) }
}
