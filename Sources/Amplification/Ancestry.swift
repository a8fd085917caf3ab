import Tasks

/// The questions above a sub-question, nearest first: how the engine detects a question that
/// reappears in its own ancestry (answered unknown instead of looping) and measures depth.
///
/// A persistent linked list: extending it allocates one node and shares the rest.
public struct Ancestry: Sendable {
    final class Node: Sendable {
        let question: Content
        let parent: Node?
        let count: Int
        /// `question.fingerprint`: compared before the content.
        let fingerprint: Int

        init(question: Content, parent: Node?) {
            self.question = question
            self.parent = parent
            self.count = (parent?.count ?? 0) + 1
            self.fingerprint = question.fingerprint
        }
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
    public func appending(_ question: Content) -> Ancestry {
        Ancestry(head: Node(question: question, parent: head))
    }

    /// Whether `question` is one of the ancestors.
    public func contains(_ question: Content) -> Bool {
        guard head != nil else { return false }
        let fingerprint = question.fingerprint
        var node = head
        while let current = node {
            if current.fingerprint == fingerprint && current.question == question { return true }
            node = current.parent
        }
        return false
    }

    /// The ancestors, nearest first.
    public var questions: [Content] {
        var result: [Content] = []
        var node = head
        while let current = node {
            result.append(current.question)
            node = current.parent
        }
        return result
    }
}
