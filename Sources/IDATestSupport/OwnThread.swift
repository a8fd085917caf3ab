import Foundation

/// Runs `body` on a thread of its own and returns what it returns or throws.
///
/// For work that blocks while it waits (a child process, a paced sleep, a blocking read): Swift
/// Testing runs twice as many test cases at once as there are cores on Swift's cooperative
/// threads, one per core, two on CI's machine; two test cases blocked on them stall the others
/// running beside them, whose time limits then run out while they wait. A thread of its own keeps
/// the pace too: an awaited sleep on a busy pool wakes late.
///
/// `body` need not be `Sendable`: the caller waits for it and touches nothing it captured until
/// it has returned.
public func onOwnThread<T>(_ body: @escaping () throws -> T) async throws -> T {
    let work = Unchecked(body)
    let result = await withCheckedContinuation { (done: CheckedContinuation<Unchecked<Result<T, any Error>>, Never>) in
        let thread = Thread { done.resume(returning: Unchecked(Result { try work.value() })) }
        thread.start()
    }
    return try result.value.get()
}

extension Process {
    /// Waits until the child has exited, on a thread of its own (``onOwnThread(_:)``).
    public func exited() async {
        _ = try? await onOwnThread { self.waitUntilExit() }  // waiting throws nothing
    }
}

/// A value handed to another thread while its owner waits for that thread to finish.
private struct Unchecked<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
