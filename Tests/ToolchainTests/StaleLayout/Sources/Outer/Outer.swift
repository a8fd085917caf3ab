import Inner

public struct Outer: Sendable {
    public var name = "outer"
    public var inner = Inner()

    public init() {}

    public var description: String { "\(name) \(inner)" }
}

@inline(never) public func makeOuter() -> Outer { Outer() }
