import Outer

/// Copies the value in App's own code, at the size App was compiled with.
@inline(never) func relay(_ value: Outer) -> Outer {
    var copy = value
    copy.name += "!"
    return copy
}

print(relay(makeOuter()).description)
