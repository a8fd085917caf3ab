extension Duration {
    /// The duration in seconds, as the reports and the progress lines print it.
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
