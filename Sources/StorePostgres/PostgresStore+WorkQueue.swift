import Foundation
import PostgresNIO
import Store

// MARK: - The work queue

extension PostgresStore: WorkQueue {
    /// The channel `enqueue` notifies and idle workers listen on.
    static let workChannel = "ida_work"
    /// The channel a reply's completion notifies and the process waiting for it listens on:
    /// another than the workers', so that a finished item wakes no idle worker.
    static let replyChannel = "ida_reply"

    public func enqueue(run: String, count: Int) throws {
        precondition(count >= 0, "enqueue: count must be >= 0, got \(count)")
        try write(run: run) { session in
            try session.executeAll([
                """
                INSERT INTO workItem (runId, item) SELECT \(run), generate_series(0, \(count - 1))
                ON CONFLICT (runId, item) DO NOTHING
                """,
                "SELECT pg_notify(\(Self.workChannel), \(run))",
            ])
        }
    }

    /// One statement: the first open item (queued, or leased with its lease run out) of one of
    /// `kinds`, of a running run, locked with `SKIP LOCKED` so that workers claiming at once take
    /// different items without waiting for each other.
    public func claim(worker: String, leaseSeconds: Double, run: String?, kinds: Set<WorkItemKind>) throws -> WorkLease? {
        precondition(leaseSeconds > 0 && leaseSeconds.isFinite, "claim: leaseSeconds must be > 0, got \(leaseSeconds)")
        StoreRequirements.requireNoNUL(worker, "claim: worker")
        let kinds = kinds.map(\.description).sorted()
        for kind in kinds { StoreRequirements.requireNoNUL(kind, "claim: kind") }
        // A claimer waits for work next: listen from now on, so that no notification sent
        // while it works is missed.
        notifications.startListening()
        let rows = try connections.rows(
            """
            UPDATE workItem w SET state = 'leased', worker = \(worker), token = w.token + 1,
                leaseExpiresAt = now() + make_interval(secs => \(leaseSeconds))
            FROM (
                SELECT i.runId, i.item FROM workItem i JOIN run r ON r.id = i.runId
                WHERE r.status = 'running' AND (\(run)::text IS NULL OR i.runId = \(run)) AND i.kind = ANY(\(kinds))
                  AND (i.state = 'queued' OR (i.state = 'leased' AND i.leaseExpiresAt < now()))
                ORDER BY r.createdAt, i.runId, i.item
                LIMIT 1 FOR UPDATE OF i SKIP LOCKED
            ) open
            WHERE w.runId = open.runId AND w.item = open.item
            RETURNING w.runId, w.item, w.kind, w.token
            """)
        guard let row = rows.first else { return nil }
        let (runID, item, stored, token) = try row.decode((String, Int, String, Int).self)
        guard let kind = WorkItemKind(stored: stored) else {
            throw PostgresStoreError.corrupt("work item \(item) of run \(runID) has unknown kind \(stored)")
        }
        return WorkLease(run: runID, item: item, kind: kind, token: token)
    }

    public func renew(_ lease: WorkLease, leaseSeconds: Double) throws -> Bool {
        try !connections.rows(
            """
            UPDATE workItem SET leaseExpiresAt = now() + make_interval(secs => \(leaseSeconds))
            WHERE runId = \(lease.run) AND item = \(lease.item) AND token = \(lease.token) AND state = 'leased'
            RETURNING item
            """
        ).isEmpty
    }

    public func complete(_ lease: WorkLease, workspaces: [WorkspaceRecord]) throws -> WorkCounts? {
        StoreRequirements.validate(workspaces, report: nil)
        return try transaction { session in
            // Completions of one run's items take turns at the run's row: the last two completing
            // at once would each count the other's item still leased, and neither would complete
            // the run.
            try session.execute("SELECT id FROM run WHERE id = \(lease.run) FOR UPDATE")
            let held = try session.rows(
                """
                UPDATE workItem SET state = 'done', leaseExpiresAt = NULL, request = NULL
                WHERE runId = \(lease.run) AND item = \(lease.item) AND token = \(lease.token) AND state = 'leased'
                RETURNING item
                """)
            guard !held.isEmpty else { return nil }
            try session.executeAll(Self.inserts(workspaces, run: lease.run))
            let counts = try Self.workCounts(run: lease.run, in: session)
            if counts.done == counts.total {
                try session.executeAll([
                    "UPDATE run SET status = 'completed', updatedAt = now() WHERE id = \(lease.run) AND status = 'running'",
                    // Workers waiting for the run's last questions stop at once, not at their next poll.
                    "SELECT pg_notify(\(Self.workChannel), \(lease.run))",
                ])
            }
            return counts
        }
    }

    /// One statement: the inserts, and one notification once they commit.
    public func enqueue(run: String, kind: WorkItemKind, requests: [Int: Data]) throws {
        precondition(requests.keys.allSatisfy { $0 >= 0 }, "enqueue: items must be >= 0, got \(requests.keys.sorted())")
        StoreRequirements.requireNoNUL(kind.description, "enqueue: kind")
        guard !requests.isEmpty else { return try write(run: run) { _ in } }
        let items = Array(requests.keys)
        let bytes = items.map { ByteBuffer(bytes: requests[$0]!) }
        let added = try connections.rows(
            """
            WITH added AS (
                INSERT INTO workItem (runId, item, kind, request)
                SELECT r.id, x.item, \(kind.description), x.request
                FROM run r, unnest(\(items)::bigint[], \(bytes)::bytea[]) AS x (item, request)
                WHERE r.id = \(run)
                RETURNING runId)
            SELECT pg_notify(\(Self.workChannel), \(run)) FROM (SELECT 1 FROM added LIMIT 1) AS one
            """)
        guard !added.isEmpty else { throw StoreError.runNotFound(id: run) }
    }

    public func request(of lease: WorkLease) throws -> Data? {
        let rows = try connections.rows(
            "SELECT request FROM workItem WHERE runId = \(lease.run) AND item = \(lease.item)")
        return try rows.first?.decode(Data?.self) ?? nil
    }

    public func save(_ lease: WorkLease, progress: Data) throws -> Bool {
        try !connections.rows(
            """
            UPDATE workItem SET request = \(progress)
            WHERE runId = \(lease.run) AND item = \(lease.item) AND token = \(lease.token) AND state = 'leased'
            RETURNING item
            """
        ).isEmpty
    }

    /// One statement: the fenced update, and the notification that wakes the waiting process once
    /// it commits.
    public func complete(_ lease: WorkLease, reply: Data) throws -> Bool {
        try !connections.rows(
            """
            WITH held AS (
                UPDATE workItem SET state = 'done', leaseExpiresAt = NULL, reply = \(reply)
                WHERE runId = \(lease.run) AND item = \(lease.item) AND token = \(lease.token) AND state = 'leased'
                RETURNING runId)
            SELECT pg_notify(\(Self.replyChannel), runId) FROM held
            """
        ).isEmpty
    }

    /// One statement: the replies read under their rows' locks and dropped with the requests.
    public func takeReplies(run: String, items: [Int]) throws -> [Int: Data] {
        guard !items.isEmpty else { return [:] }
        let rows = try connections.rows(
            """
            WITH taken AS (
                SELECT runId, item, reply FROM workItem
                WHERE runId = \(run) AND item = ANY(\(items)) AND state = 'done' AND reply IS NOT NULL
                FOR UPDATE)
            UPDATE workItem w SET request = NULL, reply = NULL FROM taken
            WHERE w.runId = taken.runId AND w.item = taken.item
            RETURNING taken.item, taken.reply
            """)
        var replies: [Int: Data] = [:]
        for row in rows {
            let (item, reply) = try row.decode((Int, Data).self)
            replies[item] = reply
        }
        return replies
    }

    public func retireItems(run: String) throws {
        try write(run: run) { session in
            try session.execute(
                """
                UPDATE workItem SET state = 'done', leaseExpiresAt = NULL, request = NULL, reply = NULL
                WHERE runId = \(run) AND (state <> 'done' OR request IS NOT NULL OR reply IS NOT NULL)
                """)
        }
    }

    public func nextItem(run: String) throws -> Int {
        try read(run: run) { session in
            try session.rows("SELECT coalesce(max(item) + 1, 0)::bigint FROM workItem WHERE runId = \(run)")[0].decode(Int.self)
        }
    }

    public func workCounts(run: String) throws -> WorkCounts {
        try read(run: run) { try Self.workCounts(run: run, in: $0) }
    }

    private static func workCounts(run: String, in session: Session) throws -> WorkCounts {
        let (queued, leased, done, claims) = try session.rows(
            """
            SELECT count(*) FILTER (WHERE state = 'queued'), count(*) FILTER (WHERE state = 'leased'),
                   count(*) FILTER (WHERE state = 'done'), coalesce(sum(token), 0)::bigint
            FROM workItem WHERE runId = \(run)
            """
        )[0].decode((Int, Int, Int, Int).self)
        return WorkCounts(queued: queued, leased: leased, done: done, claims: claims)
    }

    public func waitForWork(seconds: Double) async {
        await notifications.wait(seconds: seconds)
    }

    public func waitForReplies(seconds: Double) async {
        await replyNotifications.wait(seconds: seconds)
    }
}

/// `LISTEN` on one channel over a connection of its own, opened on the first wait: each
/// notification wakes every task waiting.
final class WorkNotifications: @unchecked Sendable {
    private let location: PostgresLocation
    private let channel: String
    private let signal = Signal()
    private let lock = NSLock()
    // Guarded by `lock`.
    private var listening: Task<Void, Never>?

    init(location: PostgresLocation, channel: String) {
        self.location = location
        self.channel = channel
    }

    func wait(seconds: Double) async {
        startListening()
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: .seconds(seconds)) }
            group.addTask { [signal] in await signal.wait() }
            await group.next()
            group.cancelAll()
        }
    }

    func close() {
        lock.withLock { listening?.cancel() }
    }

    deinit {
        listening?.cancel()
    }

    func startListening() {
        lock.withLock {
            guard listening == nil else { return }
            let (location, channel, signal) = (location, channel, signal)
            listening = Task {
                // Listens until cancelled; a connection that drops is opened again a second later.
                while !Task.isCancelled {
                    do {
                        let connections = try PostgresConnections(location: location, limit: 1)
                        let connection = try await connections.asyncConnection()
                        defer { connection.close().whenComplete { _ in withExtendedLifetime(connection) {} } }
                        try await connection.listen(on: channel) { notifications in
                            for try await _ in notifications { await signal.fire() }
                        }
                    } catch {
                        try? await Task.sleep(for: .seconds(1))
                    }
                }
            }
        }
    }

    /// Wakes every task waiting at the time of a notification; a notification that finds no task
    /// waiting wakes the next at once. A worker looks for work, finds none and then waits: a
    /// notification sent between the two would otherwise be lost, and the worker would sleep out
    /// its poll with work queued (or a reply in).
    actor Signal {
        private var waiters: [UUID: CheckedContinuation<Void, Never>] = [:]
        private var missed = false

        func wait() async {
            if missed {
                missed = false
                return
            }
            let id = UUID()
            await withTaskCancellationHandler {
                await withCheckedContinuation { waiters[id] = $0 }
            } onCancel: {
                Task { await self.resume(id) }
            }
        }

        func fire() {
            missed = waiters.isEmpty
            let woken = waiters
            waiters = [:]
            for continuation in woken.values { continuation.resume() }
        }

        private func resume(_ id: UUID) {
            waiters.removeValue(forKey: id)?.resume()
        }
    }
}
