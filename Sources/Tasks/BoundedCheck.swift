/// What a judge who sees only a question and a candidate answer can tell about it with at most a
/// few lookups of hidden facts and no sub-questions: the bounded evaluator E_b of the comparison
/// with RLHF (`Documentation/RLHF.md`).
///
/// A task implements ``boundedEvidence(for:budget:lookup:)``: the lookups it makes are leaf
/// questions, each counted by the caller, never more than `budget`; it never reads ground truth.
public protocol BoundedCheck {
    /// What at most `budget` leaf lookups (made through `lookup`) tell about the answer to
    /// `question`.
    func boundedEvidence(for question: Tokens, budget: Int, lookup: (Tokens) -> Tokens) -> BoundedEvidence
}

/// What a bounded judge learned about a question's answer.
public enum BoundedEvidence: Sendable, Hashable {
    /// The lookups settle the answer: it is this.
    case answer(Tokens)
    /// The lookups rule these answers out (a partial check), and no others.
    case excludes(Set<Tokens>)
    /// The lookups rule out every answer but these (wildcard's bounded sums).
    case among(Set<Tokens>)
    /// Nothing: the judge can only guess.
    case nothing

    /// The verdict on `candidate`.
    public func verdict(on candidate: Tokens) -> BoundedVerdict {
        switch self {
        case .answer(let truth): candidate == truth ? .right : .wrong
        case .excludes(let wrong): wrong.contains(candidate) ? .wrong : .undecided
        case .among(let possible): possible.contains(candidate) ? .undecided : .wrong
        case .nothing: .undecided
        }
    }
}

/// A bounded judge's verdict on one candidate answer.
public enum BoundedVerdict: String, Sendable, Hashable {
    case right
    case wrong
    /// Neither: the lookups allowed cannot tell.
    case undecided
}

extension PermutationPowering: BoundedCheck {
    /// σ^k(x) is checked by walking k steps, one lookup of σ each: exact when k ≤ budget (k = 0
    /// takes one lookup, to learn whether x is an element). A walk cut short ends at an
    /// intermediate element, which says nothing about the answer, so beyond the budget there is
    /// no partial check.
    public func boundedEvidence(for question: Tokens, budget: Int, lookup: (Tokens) -> Tokens) -> BoundedEvidence {
        guard let (element, exponent) = parse(question), max(exponent, 1) <= budget else { return .nothing }
        var current = element
        // σ^0(x) is x, if x is an element at all: one lookup tells.
        if exponent == 0 && names.index(in: lookup(self.question(element: element, exponent: 1)), at: 0) == nil {
            return .answer(.unknown(answerLength))
        }
        for _ in 0..<exponent {
            guard let next = names.index(in: lookup(self.question(element: current, exponent: 1)), at: 0) else {
                return .answer(.unknown(answerLength))
            }
            current = next
        }
        return .answer(names.tokens(ofName: current))
    }
}

extension WildcardSearch: BoundedCheck {
    /// The sum over the strings a pattern matches: each string is one lookup, so the sum is
    /// exact when they number at most the budget. Otherwise the strings looked up (the first
    /// ones, in the letters' order) bound it: each string not looked up adds −1, 0 or 1, so the
    /// sum lies within the partial sum ± their number (clamped as answers are). The parity of the
    /// sum is not used: a string absent from the context counts 0, so it holds only when the
    /// context has every string, which the judge cannot see.
    public func boundedEvidence(for question: Tokens, budget: Int, lookup: (Tokens) -> Tokens) -> BoundedEvidence {
        guard isPattern(question) else { return .nothing }
        let stars = question.indices.filter { question[$0] == Self.star }
        var matches = 1
        for _ in stars {
            matches *= configuration.letterCount
            if matches > budget { break }
        }
        let looked = min(budget, matches)
        var partial = 0
        for index in 0..<looked {
            var string = question
            var rest = index
            for position in stars.reversed() {
                string[position] = Self.firstLetter + rest % configuration.letterCount
                rest /= configuration.letterCount
            }
            partial += number(lookup(string).first ?? 0) ?? 0
        }
        let bound = configuration.sumBound
        let clamp = { (value: Int) in min(max(value, -bound), bound) }
        if looked == matches { return .answer([token(of: partial)]) }
        let total = stars.reduce(1) { product, _ in product * configuration.letterCount }
        let unseen = total - looked
        return .among(Set((clamp(partial - unseen)...clamp(partial + unseen)).map { [token(of: $0)] }))
    }
}

extension ShortestPath: BoundedCheck {
    /// One lookup, `E a b`, settles the questions whose answer is one edge (distance 1, first
    /// step b) and rules that answer out for the others (a question from a vertex to itself asks
    /// for its shortest cycle, so it is no exception). Anything longer needs a search of the graph.
    public func boundedEvidence(for question: Tokens, budget: Int, lookup: (Tokens) -> Tokens) -> BoundedEvidence {
        switch parse(question) {
        case .distance(let a, let b, let horizon):
            guard budget >= 1, horizon >= 1 else { return .nothing }
            let one = single(numberToken(1))
            return lookup(self.question(Self.edge, a, b, horizon: 0)) == one ? .answer(one) : .excludes([one])
        case .step(let a, let b, let horizon):
            guard budget >= 1, horizon >= 1 else { return .nothing }
            let direct = names.tokens(ofName: b)
            let edge = lookup(self.question(Self.edge, a, b, horizon: 0)) == single(numberToken(1))
            return edge ? .answer(direct) : .excludes([direct])
        default:
            return .nothing
        }
    }
}
