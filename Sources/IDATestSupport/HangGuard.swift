import Testing

extension Trait where Self == TimeLimitTrait {
    /// A time limit that catches a hang (a wait nothing will end), not slowness: the whole suite
    /// runs at once on two cores, and a test of a few milliseconds' work can wait minutes for a
    /// cooperative thread while other tests compute.
    public static var hangGuard: Self { .timeLimit(.minutes(5)) }
}
