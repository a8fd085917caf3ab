import Tasks

extension Agent {
    /// How a trace line names the agent.
    var label: String {
        switch self {
        case .leafLookup: "leaf lookup"
        case .loop: "loop detected"
        case .budget: "budget exhausted"
        default: description
        }
    }
}

extension TraceNode {
    /// The tree as indented text, content rendered by `domain`, one line per node:
    ///
    /// ```
    /// a 0 1 0 1 → c   [expert: 3 actions; subtree 9 actions, 4 leaf lookups]
    ///   a 0 0 1 0 → d   [expert: 3 actions; subtree 4 actions, 2 leaf lookups]
    ///     a 0 0 0 1 → e   [leaf lookup]
    /// ```
    ///
    /// With `id`, the node's ``WorkspaceID``, each line starts with its node's id (`1.2.1`), the
    /// children's made from it.
    public func rendered(in domain: any Domain, indent: String = "  ", id: WorkspaceID? = nil) -> String {
        var lines: [String] = []
        appendLines(to: &lines, level: 0, domain: domain, indent: indent, id: id)
        return lines.joined(separator: "\n")
    }

    private func appendLines(
        to lines: inout [String], level: Int, domain: any Domain, indent: String, id: WorkspaceID?
    ) {
        let prefix = String(repeating: indent, count: level) + (id.map { "\($0)  " } ?? "")
        let text = domain.render(question) + " → " + domain.render(answer)
        lines.append(prefix + text + "   [" + summary + "]")
        for (position, child) in children.enumerated() {
            child.appendLines(
                to: &lines, level: level + 1, domain: domain, indent: indent, id: id?.child(position + 1))
        }
    }

    private var summary: String {
        // A node a supervisor worked has a workspace; the others show who answered.
        guard workspace != nil, !answeredBy.isEngine else { return answeredBy.label }
        var parts = ["subtree \(counters.supervisorActions) actions", "\(counters.leafLookups) leaf lookups"]
        if counters.assistantQuestions > 0 { parts.append("\(counters.assistantQuestions) to assistants") }
        if counters.loopsDetected > 0 { parts.append("\(counters.loopsDetected) loops") }
        if counters.budgetExhaustions > 0 { parts.append("\(counters.budgetExhaustions) over budget") }
        return "\(answeredBy): \(actions.count) actions; " + parts.joined(separator: ", ")
    }
}
