import SeededRandom
import Tasks

extension AmplificationTree {
    /// Hands the journal a snapshot of every node changed since it last recorded, and the run's
    /// progress without the assistant call in flight (a resumed run asks it again).
    mutating func recordChanges() async throws {
        guard let journal, !changed.isEmpty else { return }
        let snapshots = changed.sorted().map(snapshot(of:))
        changed.removeAll(keepingCapacity: true)
        var progress = AmplificationProgress(
            counters: counters, supervisorActionsLeft: supervisorActionsLeft, assistantCallsLeft: assistantCallsLeft)
        if let questions = assistantQuestionsInFlight {
            progress.counters.assistantCalls -= 1
            progress.counters.assistantQuestions -= questions
            progress.assistantCallsLeft += 1
        }
        try await journal.record(snapshots, progress: progress)
    }

    /// Node `index`'s path id: a main question's is its position among them, from 1.
    func id(of index: Int) -> WorkspaceID {
        let node = nodes[index]
        guard let parent = node.parent else { return WorkspaceID(root: node.position + 1) }
        return id(of: parent).child(node.position + 1)
    }

    /// Node `index` as a journal keeps it (the engine keeps traces whenever it has a journal).
    func snapshot(of index: Int) -> WorkspaceSnapshot {
        let node = nodes[index]
        let trace = traces[index]
        let waiting: Bool
        if waitingOnAssistant[index] != nil {
            waiting = true
        } else if case .node(let child) = trace.sources.last {
            waiting = nodes[child].answer == nil
        } else {
            waiting = false
        }
        return WorkspaceSnapshot(
            id: id(of: index), context: node.context, supervisor: node.supervisor, workspace: node.workspace,
            random: node.rng, rejections: node.rejections,
            state: node.answer != nil ? .answered : waiting ? .waiting : .acting, answer: node.answer,
            answeredBy: trace.answeredBy, actions: trace.actions,
            sources: trace.sources.map { source in
                switch source {
                case .node: .workspace
                case .answered(let agent): .answered(agent)
                case .trace(let nested): .trace(nested)
                }
            },
            assistantQuestion: waitingOnAssistant[index].map {
                WorkspaceSnapshot.AssistantQuestion(question: $0.question, seed: $0.seed)
            })
    }

    /// The tree `saved` describes, ready to go on: acting workspaces act again, those waiting for
    /// the assistant ask it again, and answered ones stay answered.
    ///
    /// - Throws: ``AmplificationError/unresumable(_:)`` when the snapshots do not form a run of
    ///   this amplifier on `contexts`.
    static func restoring(
        _ saved: SavedAmplification, amplifier: Amplifier, contexts: [InstanceContext],
        journal: (any WorkspaceJournal)?
    ) throws -> AmplificationTree {
        var tree = AmplificationTree(
            amplifier: amplifier, queries: [], contexts: contexts,
            options: ReplyOptions(
                supervisorActionsLeft: saved.progress.supervisorActionsLeft,
                assistantCallsLeft: saved.progress.assistantCallsLeft, tracing: true),
            journal: journal)
        tree.counters = saved.progress.counters
        // Main questions first, so that they are nodes 0..<roots; then parents before children.
        let ordered = saved.workspaces.sorted { ($0.id.depth == 0 ? 0 : 1, $0.id) < ($1.id.depth == 0 ? 0 : 1, $1.id) }
        var indices: [WorkspaceID: Int] = [:]
        for snapshot in ordered {
            let problem = tree.problem(restoring: snapshot, indices: indices)
            if let problem { throw AmplificationError.unresumable("workspace \(snapshot.id) \(problem)") }
            let parent = snapshot.id.parent.map { indices[$0]! }  // `problem` checked it
            if parent == nil { tree.roots += 1 }
            indices[snapshot.id] = tree.nodes.count
            tree.nodes.append(
                Node(
                    workspace: snapshot.workspace, rng: snapshot.random,
                    ancestry: parent.map { tree.childAncestry(of: $0) } ?? Ancestry(), context: snapshot.context,
                    parent: parent, position: snapshot.id.path[snapshot.id.depth] - 1, depth: snapshot.id.depth,
                    supervisor: snapshot.supervisor, answer: snapshot.answer, rejections: snapshot.rejections))
            tree.traces.append(NodeTrace(answeredBy: snapshot.answeredBy, actions: snapshot.actions))
        }
        for (index, snapshot) in ordered.enumerated() {
            for (position, source) in snapshot.sources.enumerated() {
                switch source {
                case .workspace:
                    guard let child = indices[snapshot.id.child(position + 1)] else {
                        throw AmplificationError.unresumable(
                            "workspace \(snapshot.id.child(position + 1)) is missing below \(snapshot.id)")
                    }
                    tree.traces[index].sources.append(.node(child))
                case .answered(let agent):
                    tree.traces[index].sources.append(.answered(agent))
                case .trace(let nested):
                    tree.traces[index].sources.append(.trace(nested))
                }
            }
            switch snapshot.state {
            case .acting:
                tree.acting.append(index)
            case .waiting:
                if let asked = snapshot.assistantQuestion {
                    let query = AssistantQuery(
                        context: snapshot.context, question: asked.question, seed: asked.seed,
                        ancestry: tree.childAncestry(of: index))
                    tree.pending.append(query)
                    tree.owners.append(index)
                    tree.waitingOnAssistant[index] = query
                }
            case .answered:
                break
            }
        }
        guard tree.roots > 0, (0..<tree.roots).allSatisfy({ tree.nodes[$0].position == $0 }) else {
            throw AmplificationError.unresumable("its main questions are not numbered 1, 2, … without a gap")
        }
        return tree
    }

    /// Why `snapshot` cannot be a node of this tree, given the nodes already restored.
    private func problem(restoring snapshot: WorkspaceSnapshot, indices: [WorkspaceID: Int]) -> String? {
        if let parent = snapshot.id.parent, indices[parent] == nil { return "has no parent \(parent)" }
        if !contexts.indices.contains(snapshot.context) {
            return "belongs to instance \(snapshot.context), outside the run's \(contexts.count)"
        }
        if !supervisors.indices.contains(snapshot.supervisor) {
            return "is worked by supervisor \(snapshot.supervisor), outside the run's \(supervisors.count)"
        }
        if snapshot.sources.count != snapshot.workspace.exchanges.count {
            return "has \(snapshot.sources.count) sources for \(snapshot.workspace.exchanges.count) exchanges"
        }
        if (snapshot.state == .answered) != (snapshot.answer != nil) {
            return "is \(snapshot.state.rawValue) but \(snapshot.answer == nil ? "has no answer" : "has an answer")"
        }
        return nil
    }
}
