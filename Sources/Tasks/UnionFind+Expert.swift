extension UnionFind {
    /// The expert. V and D follow the reference (S, then P, then V or D of the parent). P and R
    /// find the parent by walking the tree neighbours `N x 0`, `N x 1`, … and asking `R n x` of
    /// each (skipping the excluded one for R) until one says its root is not behind x.
    public func expertStep(question: Tokens, transcript: [Exchange]) -> ExpertStep {
        var unknown: ExpertStep { .answer(.unknown(answerLength)) }
        guard let parsed = parse(question) else { return unknown }
        if parsed.isLeaf {
            guard let reply = transcript.first else { return .ask(question) }
            return .answer(reply.answer.tokens)
        }
        let variable: Int
        switch parsed {
        case .value(let x), .parent(let x), .depth(let x), .rootward(let x, _): variable = x
        default: return unknown
        }
        guard let stated = transcript.first?.answer.tokens else { return .ask(self.question(Self.statedValue, variable)) }
        let statedValue = singleToken(stated).flatMap(value)
        switch parsed {
        case .value:
            if let statedValue { return .answer(single(firstValue + statedValue)) }
            return viaParent(of: variable, transcript: transcript, kind: Self.valueQuestion) { answer in
                singleToken(answer).flatMap(value).map { single(firstValue + $0) }
            }
        case .depth:
            if statedValue != nil { return .answer(single(firstNumber)) }
            return viaParent(of: variable, transcript: transcript, kind: Self.depthQuestion) { answer in
                singleToken(answer).flatMap(number).flatMap { $0 + 1 < configuration.size ? single(firstNumber + $0 + 1) : nil }
            }
        case .parent:
            if statedValue != nil { return .answer(names.tokens(ofName: variable)) }
            switch scan(variable, excluding: nil, transcript: transcript) {
            case .ask(let subQuestion): return .ask(subQuestion)
            case .found(let parent, _): return .answer(names.tokens(ofName: parent))
            case .none: return unknown
            }
        case .rootward(_, let excluded):
            if statedValue != nil { return .answer(single(firstNumber)) }
            switch scan(variable, excluding: excluded, transcript: transcript) {
            case .ask(let subQuestion): return .ask(subQuestion)
            case .found(_, let depth): return .answer(depth + 1 < configuration.size ? single(firstNumber + depth + 1) : .unknown(answerLength))
            case .none: return unknown
            }
        default:
            return unknown
        }
    }

    /// V or D of x from the parent: ask `P x`, then `[kind y]`, then combine.
    private func viaParent(of variable: Int, transcript: [Exchange], kind: Int, combine: (Tokens) -> Tokens?) -> ExpertStep {
        var unknown: ExpertStep { .answer(.unknown(answerLength)) }
        switch transcript.count {
        case 1:
            return .ask(question(Self.parentQuestion, variable))
        case 2:
            guard let parent = names.index(in: transcript[1].answer.tokens, at: 0) else { return unknown }
            return .ask(question(kind, parent))
        default:
            return combine(transcript[2].answer.tokens).map(ExpertStep.answer) ?? unknown
        }
    }

    enum ScanStep {
        case ask(Tokens)
        case found(Int, depth: Int)
        case none
    }

    /// The walk over x's tree neighbours after the `S x` exchange: `N x i`, then `R n x` unless
    /// n is excluded, until an R answer is a depth or the neighbours run out.
    func scan(_ center: Int, excluding excluded: Int?, transcript: [Exchange]) -> ScanStep {
        var index = 0
        var position = 1
        while position < transcript.count {
            guard let neighbour = names.index(in: transcript[position].answer.tokens, at: 0) else { return .none }
            position += 1
            index += 1
            if neighbour == excluded { continue }
            if position == transcript.count { return .ask(rootward(neighbour, excluding: center)) }
            if let depth = singleToken(transcript[position].answer.tokens).flatMap(number) { return .found(neighbour, depth: depth) }
            position += 1
        }
        return index < configuration.maxDegree ? .ask(neighbourQuestion(center, index: index)) : .none
    }
}
