extension AmplificationTree {
    /// What a call made in a child task brings back.
    enum Event: Sendable {
        /// A supervisor's actions on the nodes it was given, and who took each when the supervisor
        /// says (a concurrent supervisor standing for several people).
        case actions(supervisor: Int, nodes: [Int], actions: [SupervisorAction], agents: [Agent?])
        /// The assistant's reply to the questions it was given, and the ground truth it read.
        case answers(pending: [AssistantQuery], owners: [Int], reply: AssistantReply, consumed: Int)
    }

    /// The engine when some supervisor takes its time (a ``ConcurrentSupervisor``): every call
    /// that can suspend runs in a child task, and the tree moves on as each comes back, so a slow
    /// supervisor holds up only the workspaces waiting for it. Synchronous supervisors act inline
    /// as soon as a workspace is ready for them; a batched one gets every workspace ready for it in
    /// one call (and the next ones in another once that returns); a concurrent one gets one call
    /// per workspace, up to its limit; the assistant gets every question waiting for it in one
    /// call (and the next ones once that returns).
    mutating func runAsEventsArrive() async throws {
        var ready = Array(repeating: [Int](), count: supervisors.count)
        for index in acting { ready[nodes[index].supervisor].append(index) }
        acting.removeAll()
        next.removeAll()
        let concurrentSupervisors = supervisors.map { $0 as? any ConcurrentSupervisor }
        let limits = concurrentSupervisors.map { $0.map { max(1, $0.maximumConcurrentActions) } }
        var callsInFlight = Array(repeating: 0, count: supervisors.count)
        var actionsInFlight = 0
        var assistantBusy = false

        try await withThrowingTaskGroup(of: Event.self) { group in
            while true {
                // Everything that can go now goes: inline actions first, as they make more work ready.
                var moved = true
                while moved {
                    moved = false
                    for supervisor in supervisors.indices where !ready[supervisor].isEmpty {
                        if supervisorActionsLeft - actionsInFlight <= 0 {
                            for index in ready[supervisor] { exhaust(index) }
                            ready[supervisor].removeAll()
                            moved = true
                        } else if let synchronous = synchronousSupervisors[supervisor] {
                            let batch = ready[supervisor]
                            ready[supervisor].removeAll()
                            for index in batch {
                                if supervisorActionsLeft > actionsInFlight {
                                    apply(synchronous.action(on: nodes[index].workspace), to: index)
                                } else {
                                    exhaust(index)
                                }
                            }
                            moved = true
                        } else if let limit = limits[supervisor], let concurrent = concurrentSupervisors[supervisor] {
                            while callsInFlight[supervisor] < limit, supervisorActionsLeft > actionsInFlight,
                                !ready[supervisor].isEmpty
                            {
                                let index = ready[supervisor].removeFirst()
                                let (workspace, id) = (nodes[index].workspace, id(of: index))
                                group.addTask {
                                    let (action, agent) = try await SupervisorCall.$workspaceID.withValue(id) {
                                        try await concurrent.attributedAction(on: workspace)
                                    }
                                    return .actions(supervisor: supervisor, nodes: [index], actions: [action], agents: [agent])
                                }
                                callsInFlight[supervisor] += 1
                                actionsInFlight += 1
                            }
                        } else if callsInFlight[supervisor] == 0 {
                            let batch = Array(ready[supervisor].prefix(supervisorActionsLeft - actionsInFlight))
                            ready[supervisor].removeFirst(batch.count)
                            let actor = supervisors[supervisor]
                            let workspaces = batch.map { nodes[$0].workspace }
                            group.addTask {
                                .actions(
                                    supervisor: supervisor, nodes: batch,
                                    actions: try await Self.act(actor, on: workspaces),
                                    agents: Array(repeating: nil, count: batch.count))
                            }
                            callsInFlight[supervisor] += 1
                            actionsInFlight += batch.count
                        }
                    }
                    if !assistantBusy && !pending.isEmpty {
                        let (questions, waiting) = (pending, owners)
                        pending.removeAll()
                        owners.removeAll()
                        if let options = startAssistantCall(questions, owners: waiting) {
                            let (assistant, contexts) = (self.assistant, self.contexts)
                            group.addTask {
                                let (reply, consumed) = try await Self.callAssistant(
                                    assistant, questions, contexts: contexts, options: options)
                                return .answers(pending: questions, owners: waiting, reply: reply, consumed: consumed)
                            }
                            assistantBusy = true
                            assistantQuestionsInFlight = questions.count
                        }
                        moved = true
                    }
                    for index in next { ready[nodes[index].supervisor].append(index) }
                    next.removeAll()
                }
                try await recordChanges()
                guard let event = try await group.next() else { break }
                switch event {
                case .actions(let supervisor, let indices, let actions, let agents):
                    callsInFlight[supervisor] -= 1
                    actionsInFlight -= indices.count
                    for (position, index) in indices.enumerated() {
                        apply(actions[position], to: index)
                        if tracing, let agent = agents[position], case .answer = actions[position], nodes[index].answer != nil,
                            traces[index].answeredBy != .budget
                        {
                            traces[index].answeredBy = agent
                        }
                    }
                case .answers(let questions, let waiting, let reply, let consumed):
                    assistantBusy = false
                    assistantQuestionsInFlight = nil
                    try receive(reply, consumed: consumed, for: questions, owners: waiting)
                }
                for index in next { ready[nodes[index].supervisor].append(index) }
                next.removeAll()
            }
        }
    }
}
