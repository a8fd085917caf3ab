extension NameSpace {
    /// What is wrong with a configuration of `size` named elements (the curriculum starting at
    /// `minimumSize`) whose names are `nameLength` letters from `letterCount`, or `nil`.
    ///
    /// The four name-based tasks share these limits; each configuration adds its own checks.
    static func problem(letterCount: Int, nameLength: Int, size: Int, minimumSize: Int) -> String? {
        if !(1...26).contains(letterCount) { return "letterCount must be in 1...26, got \(letterCount)" }
        if nameLength < 1 || nameLength > 4 { return "nameLength must be in 1...4, got \(nameLength)" }
        let names = (0..<nameLength).reduce(1) { product, _ in product * letterCount }
        if names > 65_536 { return "\(letterCount)^\(nameLength) = \(names) names; at most 65,536 are supported" }
        if minimumSize < 1 || minimumSize > size { return "need 1 ≤ minimumSize ≤ size, got \(minimumSize) and \(size)" }
        if size > names { return "size \(size) exceeds the \(names) names of \(nameLength) letters from \(letterCount)" }
        return nil
    }
}
