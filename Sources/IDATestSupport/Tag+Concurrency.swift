import Testing

extension Tag {
    /// Tests that hammer one shared object from several threads and check the result against a
    /// serial run; `scripts/sanitize` runs them under ThreadSanitizer and AddressSanitizer.
    @Tag public static var concurrency: Self
}
