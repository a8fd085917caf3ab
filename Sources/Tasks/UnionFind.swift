import SeededRandom

/// Union find (reference §3.5): variables joined into classes by a hidden spanning tree per
/// class; each class's root states the class value.
///
/// Facts (length 2·nameLength): `[r v ?…]` a root and its value, `[x y]` a tree edge. Questions
/// `[V|P|D x ?…]` (value, parent, depth) and `[R c x]` (c's depth if its root is not behind x).
/// Leaves: `[S x]` (the value if x is a root), `[N x i]` (x's i-th tree neighbour in name order),
/// `[x y]` (is x–y an edge; `0` means yes). See Documentation/Tasks.md for the parent search
/// through R, which replaces the reference's self-asking P.
public struct UnionFind: AmplificationTask {
    public let configuration: UnionFindConfiguration
    public let names: NameSpace
    public let vocabulary: [String]

    static let valueQuestion = 1
    static let statedValue = 2
    static let neighbour = 3
    static let parentQuestion = 4
    static let depthQuestion = 5
    static let rootward = 6

    /// - Precondition: `configuration.problem == nil`.
    public init(_ configuration: UnionFindConfiguration = .small) {
        precondition(configuration.problem == nil, "UnionFind: \(configuration.problem ?? "")")
        self.configuration = configuration
        names = NameSpace(letterCount: configuration.letterCount, nameLength: configuration.nameLength, firstLetter: 7)
        vocabulary = ["?", "V", "S", "N", "P", "D", "R"] + names.letterStrings
            + (0..<configuration.valueCount).map { "v\($0)" } + (0..<configuration.size).map(String.init)
    }

    public var name: String { "union-find" }
    public var factLength: Int { 2 * names.nameLength }
    public var questionLength: Int { 1 + 2 * names.nameLength }
    public var answerLength: Int { names.nameLength }
    public var interactionLength: Int { max(3, 1 + 2 * configuration.maxDegree) }
    public var size: Int { configuration.size }
    public var minimumSize: Int { configuration.minimumSize }

    var firstValue: Int { 7 + configuration.letterCount }
    var firstNumber: Int { firstValue + configuration.valueCount }

    func value(_ token: Int) -> Int? {
        let index = token - firstValue
        return index >= 0 && index < configuration.valueCount ? index : nil
    }

    func number(_ token: Int) -> Int? {
        let index = token - firstNumber
        return index >= 0 && index < configuration.size ? index : nil
    }

    /// `[token ?…]` of answer length.
    func single(_ token: Int) -> Tokens {
        ([token] as Tokens).padded(to: answerLength)
    }

    /// The first token of `answer` when the rest is `?`.
    func singleToken(_ answer: Tokens) -> Int? {
        guard answer.count == answerLength, answer.dropFirst().allSatisfy({ $0 == 0 }) else { return nil }
        return answer.first
    }

    /// The question `[kind x ?…]`.
    func question(_ kind: Int, _ variable: Int) -> Tokens {
        var tokens: Tokens = [kind]
        names.append(name: variable, to: &tokens)
        return tokens.padded(to: questionLength)
    }

    /// The question `[R c x]`.
    func rootward(_ center: Int, excluding excluded: Int) -> Tokens {
        var tokens: Tokens = [Self.rootward]
        names.append(name: center, to: &tokens)
        names.append(name: excluded, to: &tokens)
        return tokens
    }

    /// The leaf `[N x i ?…]`.
    func neighbourQuestion(_ variable: Int, index: Int) -> Tokens {
        var tokens: Tokens = [Self.neighbour]
        names.append(name: variable, to: &tokens)
        tokens.append(firstNumber + index)
        return tokens.padded(to: questionLength)
    }

    public func oracle(for instance: TaskInstance) -> any InstanceOracle {
        UnionFindOracle(task: self, facts: instance.facts)
    }
}
