import Testing

extension Trait where Self == TimeLimitTrait {
    /// A time limit that catches a hang (a wait nothing will end), not slowness: a test case's
    /// limit runs from when Swift Testing starts it, one of up to twice as many test cases as
    /// there are cores running on one cooperative thread per core, and one of a few milliseconds'
    /// work waits while the others compute.
    public static var hangGuard: Self { .timeLimit(.minutes(5)) }
}
