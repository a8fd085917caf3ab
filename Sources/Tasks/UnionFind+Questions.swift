/// The parsed form of a union-find question.
enum UnionFindQuestion: Hashable {
    case value(Int), parent(Int), depth(Int), rootward(Int, excluding: Int)
    case stated(Int), neighbour(Int, index: Int), edge(Int, Int)

    var isLeaf: Bool {
        switch self {
        case .stated, .neighbour, .edge: return true
        case .value, .parent, .depth, .rootward: return false
        }
    }
}

extension UnionFind {
    /// The parsed question, or `nil` when it is malformed.
    func parse(_ question: Tokens) -> UnionFindQuestion? {
        guard question.count == questionLength, let head = question.first else { return nil }
        let length = names.nameLength
        let padding = { (start: Int) in question[start...].allSatisfy { $0 == 0 } }
        if names.isLetter(head) {
            guard let left = names.index(in: question, at: 0), let right = names.index(in: question, at: length), padding(2 * length)
            else { return nil }
            return .edge(left, right)
        }
        guard let variable = names.index(in: question, at: 1) else { return nil }
        switch head {
        case Self.rootward:
            return names.index(in: question, at: 1 + length).map { .rootward(variable, excluding: $0) }
        case Self.neighbour:
            guard let index = number(question[1 + length]), index < configuration.maxDegree, padding(2 + length) else { return nil }
            return .neighbour(variable, index: index)
        case Self.valueQuestion, Self.parentQuestion, Self.depthQuestion, Self.statedValue:
            guard padding(1 + length) else { return nil }
            switch head {
            case Self.valueQuestion: return .value(variable)
            case Self.parentQuestion: return .parent(variable)
            case Self.depthQuestion: return .depth(variable)
            default: return .stated(variable)
            }
        default:
            return nil
        }
    }

    public func isLeaf(_ question: Tokens) -> Bool {
        parse(question)?.isLeaf ?? false
    }
}
