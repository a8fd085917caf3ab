#if canImport(FoundationEssentials)
import FoundationEssentials
#endif
import Amplification
import Foundation
import Store

/// Amplification trees to and from the store's workspace rows: one row per node, keyed by its
/// path id (`WorkspaceID`), the node's own fields (without its children) as the row's detail.
enum StoredTree {
    /// A question or an answer as the store keeps it: the engine's content as JSON.
    struct Content: Codable, Equatable {
        var tokens: [Int]
    }

    /// Stores `roots` as a completed `hch` run of `task` and returns the run's id.
    static func store(
        _ roots: [TraceNode], task: String, preset: String, configuration: String, seed: UInt64, in store: RunStore
    ) throws -> String {
        let run = try store.createRun(
            NewRun(
                kind: .hch, task: task, preset: preset, schedule: "hch", configuration: configuration, seed: seed,
                createdAt: Date()))
        try store.recordWorkspaces(try records(of: roots), run: run.id)
        try store.updateRun(run.id, status: .completed, updatedAt: Date())
        return run.id
    }

    /// One row per node of `roots` (the main questions, in order: ids `1`, `2`, …).
    static func records(of roots: [TraceNode]) throws -> [WorkspaceRecord] {
        var records: [WorkspaceRecord] = []
        for (position, root) in roots.enumerated() {
            try append(root, id: WorkspaceID(root: position + 1), to: &records)
        }
        return records
    }

    private static func append(_ node: TraceNode, id: WorkspaceID, to records: inout [WorkspaceRecord]) throws {
        var own = node
        own.children = []
        records.append(
            WorkspaceRecord(
                id: id.description, parentID: id.parent?.description, depth: id.depth, context: node.context,
                question: try json(Content(tokens: node.question)), answer: try json(Content(tokens: node.answer)),
                answeredBy: agentName(node.answeredBy), state: .answered, detail: try json(own)))
        for (position, child) in node.children.enumerated() {
            try append(child, id: id.child(position + 1), to: &records)
        }
    }

    /// The tree below and at the first record (records in the tree's order, as the store returns them).
    ///
    /// - Throws: `CommandError.unreadableRun` when a row's detail is not a node or the rows do
    ///   not form a tree.
    static func tree(from records: [WorkspaceRecord], run: String) throws -> TraceNode {
        guard let first = records.first else {
            throw CommandError.unreadableRun(run: run, problem: "it has no workspaces")
        }
        var nodes: [String: TraceNode] = [:]
        var children: [String: [String]] = [:]
        for record in records {
            guard let node = try? JSONDecoder().decode(TraceNode.self, from: Data(record.detail.utf8)) else {
                throw CommandError.unreadableRun(run: run, problem: "workspace \(record.id) is not a stored node")
            }
            nodes[record.id] = node
            if let parent = record.parentID, record.id != first.id { children[parent, default: []].append(record.id) }
        }
        func build(_ id: String) -> TraceNode {
            var node = nodes[id]!  // every id in `children` has a record
            node.children = (children[id] ?? []).map(build)
            return node
        }
        for parent in children.keys where nodes[parent] == nil {
            throw CommandError.unreadableRun(run: run, problem: "workspace \(parent) is missing below \(first.id)")
        }
        return build(first.id)
    }

    /// The agent as the store's `answeredBy` column spells it.
    static func agentName(_ agent: TraceNode.Agent) -> String {
        switch agent {
        case .supervisor(let name): name
        case .leafLookup: "leaf-lookup"
        case .assistant(let name): "assistant:" + name
        case .loopDetection: "loop"
        case .budget: "budget"
        }
    }

    private static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
