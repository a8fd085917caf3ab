/// A workspace's place in its run's tree: `3` is the run's third main question, `3.2` what
/// answered the second sub-question asked in workspace `3` (a workspace of its own, or a leaf
/// lookup, a loop or a spent budget), and so on down.
///
/// Ids are stable (the same run, seed and supervisor give the same ids), name their parent without
/// a lookup, and sort in the tree's order (a parent before its children, siblings as asked). They
/// are unique within a run; a store keys them by run.
///
/// ```swift
/// let id = WorkspaceID("3.2")!      // the second sub-question of main question 3
/// id.parent                         // 3
/// id.child(1)                       // 3.2.1
/// ```
public struct WorkspaceID: Hashable, Comparable, Sendable, LosslessStringConvertible {
    /// The ordinals from the main question down, each at least 1.
    public let path: [Int]

    /// The id of main question `ordinal` (the first is 1).
    ///
    /// - Precondition: `ordinal >= 1`.
    public init(root ordinal: Int) {
        precondition(ordinal >= 1, "WorkspaceID: ordinals start at 1, got \(ordinal)")
        path = [ordinal]
    }

    private init(path: [Int]) {
        self.path = path
    }

    /// Parses `3.2.1`: positive decimal ordinals separated by dots; `nil` for anything else.
    public init?(_ description: String) {
        var path: [Int] = []
        for part in description.split(separator: ".", omittingEmptySubsequences: false) {
            guard !part.isEmpty, part.count <= 9, part.allSatisfy({ $0.isASCII && $0.isNumber }),
                let ordinal = Int(part), ordinal >= 1, part.first != "0"
            else { return nil }
            path.append(ordinal)
        }
        guard !path.isEmpty else { return nil }
        self.path = path
    }

    /// The id of what answered this workspace's `ordinal`-th sub-question (the first is 1).
    ///
    /// - Precondition: `ordinal >= 1`.
    public func child(_ ordinal: Int) -> WorkspaceID {
        precondition(ordinal >= 1, "WorkspaceID.child: ordinals start at 1, got \(ordinal)")
        return WorkspaceID(path: path + [ordinal])
    }

    /// The same place under main question `ordinal`: where a tree grown alone for one main
    /// question lies in the run it belongs to.
    ///
    /// - Precondition: `ordinal >= 1`.
    public func underRoot(_ ordinal: Int) -> WorkspaceID {
        precondition(ordinal >= 1, "WorkspaceID.underRoot: ordinals start at 1, got \(ordinal)")
        return WorkspaceID(path: [ordinal] + path.dropFirst())
    }

    /// The workspace that asked this one's question; `nil` for a main question.
    public var parent: WorkspaceID? {
        path.count > 1 ? WorkspaceID(path: Array(path.dropLast())) : nil
    }

    /// 0 for a main question.
    public var depth: Int { path.count - 1 }

    /// Whether this id is `other` or lies below it.
    public func isWithin(_ other: WorkspaceID) -> Bool {
        path.count >= other.path.count && Array(path.prefix(other.path.count)) == other.path
    }

    public var description: String {
        path.map(String.init).joined(separator: ".")
    }

    /// The tree's order: a parent before its children, siblings in the order asked.
    public static func < (left: WorkspaceID, right: WorkspaceID) -> Bool {
        left.path.lexicographicallyPrecedes(right.path)
    }
}

extension WorkspaceID: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = WorkspaceID(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "not a workspace id (ordinals from 1, separated by dots): \(text)")
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
