/// The parsed form of a shortest-path question.
enum ShortestPathQuestion: Hashable {
    case distance(Int, Int, horizon: Int), step(Int, Int, horizon: Int), edge(Int, Int), neighbour(Int, index: Int)

    var isLeaf: Bool {
        switch self {
        case .edge, .neighbour: return true
        case .distance, .step: return false
        }
    }
}

extension ShortestPath {
    /// The parsed question, or `nil` when it is malformed.
    func parse(_ question: Tokens) -> ShortestPathQuestion? {
        guard question.count == questionLength, let head = question.first, let from = names.index(in: question, at: 1) else { return nil }
        let length = names.nameLength
        if head == Self.neighbour {
            guard let index = number(question[1 + length]), index < configuration.maxOutDegree,
                question[(2 + length)...].allSatisfy({ $0 == 0 })
            else { return nil }
            return .neighbour(from, index: index)
        }
        guard let to = names.index(in: question, at: 1 + length) else { return nil }
        let last = question[1 + 2 * length]
        switch head {
        case Self.edge:
            return last == 0 ? .edge(from, to) : nil
        case Self.distanceQuestion, Self.stepQuestion:
            guard let horizon = number(last), horizon >= 1 else { return nil }
            return head == Self.distanceQuestion ? .distance(from, to, horizon: horizon) : .step(from, to, horizon: horizon)
        default:
            return nil
        }
    }

    public func isLeaf(_ question: Tokens) -> Bool {
        parse(question)?.isLeaf ?? false
    }

    /// The expert. Both question types first ask the edge leaf `E a b`. D then asks `S a b k`
    /// and `D c b (k−1)` (the reference's decomposition, with the horizon); S walks a's
    /// out-neighbours `N a 0`, `N a 1`, … asking `D c b (k−1)` of each, and answers the one with
    /// the smallest finite distance (the first, i.e. lowest-named, on ties).
    public func expertStep(question: Tokens, transcript: [Exchange]) -> ExpertStep {
        var unknown: ExpertStep { .answer(.unknown(answerLength)) }
        guard let parsed = parse(question) else { return unknown }
        if parsed.isLeaf {
            guard let reply = transcript.first else { return .ask(question) }
            return .answer(reply.answer.tokens)
        }
        let (from, to, horizon, isDistance): (Int, Int, Int, Bool)
        switch parsed {
        case .distance(let a, let b, let k): (from, to, horizon, isDistance) = (a, b, k, true)
        case .step(let a, let b, let k): (from, to, horizon, isDistance) = (a, b, k, false)
        default: return unknown
        }
        guard let edgeReply = transcript.first?.answer.tokens else { return .ask(self.question(Self.edge, from, to, horizon: 0)) }
        var unreachable: Tokens { isDistance ? single(infinity) : [Int](repeating: infinity, count: answerLength) }
        if singleToken(edgeReply) == numberToken(1) { return .answer(isDistance ? single(numberToken(1)) : names.tokens(ofName: to)) }
        if horizon == 1 { return .answer(unreachable) }
        if isDistance {
            switch transcript.count {
            case 1:
                return .ask(self.question(Self.stepQuestion, from, to, horizon: horizon))
            case 2:
                guard let step = names.index(in: transcript[1].answer.tokens, at: 0) else { return .answer(unreachable) }
                return .ask(self.question(Self.distanceQuestion, step, to, horizon: horizon - 1))
            default:
                guard let token = singleToken(transcript[2].answer.tokens) else { return unknown }
                if token == infinity { return .answer(unreachable) }
                guard let distance = number(token) else { return unknown }
                return .answer(distance + 1 <= horizon ? single(numberToken(distance + 1)) : unreachable)
            }
        }
        var best: (vertex: Int, distance: Int)?
        var index = 0
        var position = 1
        while position < transcript.count {
            guard let neighbour = names.index(in: transcript[position].answer.tokens, at: 0) else { break }
            position += 1
            index += 1
            if position == transcript.count { return .ask(self.question(Self.distanceQuestion, neighbour, to, horizon: horizon - 1)) }
            if let distance = singleToken(transcript[position].answer.tokens).flatMap(number), distance < best?.distance ?? Int.max {
                best = (neighbour, distance)
            }
            position += 1
        }
        if position == transcript.count, index < configuration.maxOutDegree {
            return .ask(neighbourQuestion(from, index: index))
        }
        return .answer(best.map { names.tokens(ofName: $0.vertex) } ?? unreachable)
    }
}
