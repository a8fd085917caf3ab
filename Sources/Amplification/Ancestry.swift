import Tasks

/// The questions above a sub-question, nearest first: how the engine detects a question that
/// reappears in its own ancestry (answered unknown instead of looping) and measures depth.
///
/// A persistent linked list: extending it allocates one node and shares the rest.
public struct Ancestry: Sendable {
    final class Node: Sendable {
        let question: Tokens
        let parent: Node?
        let count: Int
        /// ``fingerprint(_:)`` of `question`: compared before the tokens.
        let fingerprint: Int

        init(question: Tokens, parent: Node?) {
            self.question = question
            self.parent = parent
            self.count = (parent?.count ?? 0) + 1
            self.fingerprint = Ancestry.fingerprint(question)
        }
    }

    /// A cheap hash of a question (FNV-1a over the token ids), stable across processes.
    static func fingerprint(_ question: Tokens) -> Int {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for token in question {
            hash = (hash ^ UInt64(bitPattern: Int64(token))) &* 0x100_0000_01B3
        }
        return Int(truncatingIfNeeded: hash)
    }

    var head: Node?

    /// The empty ancestry of a main question.
    public init() {}

    init(head: Node?) {
        self.head = head
    }

    /// The number of questions above (the recursion depth of the question it belongs to).
    public var count: Int { head?.count ?? 0 }

    /// This ancestry with `question` as the new nearest ancestor.
    public func appending(_ question: Tokens) -> Ancestry {
        Ancestry(head: Node(question: question, parent: head))
    }

    /// Whether `question` is one of the ancestors.
    public func contains(_ question: Tokens) -> Bool {
        guard head != nil else { return false }
        let fingerprint = Self.fingerprint(question)
        var node = head
        while let current = node {
            if current.fingerprint == fingerprint && current.question == question { return true }
            node = current.parent
        }
        return false
    }

    /// The ancestors, nearest first.
    public var questions: [Tokens] {
        var result: [Tokens] = []
        var node = head
        while let current = node {
            result.append(current.question)
            node = current.parent
        }
        return result
    }
}
