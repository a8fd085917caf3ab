extension Array where Element == Int {
    /// This sequence padded with `?` (0) to `length`.
    ///
    /// - Precondition: `count ≤ length`.
    @inlinable
    func padded(to length: Int) -> [Int] {
        precondition(count <= length, "padded: \(count) tokens do not fit in length \(length)")
        if count == length { return self }
        return self + [Int](repeating: 0, count: length - count)
    }

    /// `length` tokens of `?`.
    @inlinable
    static func unknown(_ length: Int) -> [Int] {
        [Int](repeating: 0, count: length)
    }
}
