public struct Inner: Sendable {
    public var a = 1
    // fields added here
    public init() {}
}
