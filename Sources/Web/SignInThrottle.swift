import Foundation

/// Slows password guessing: after ``limit`` failed sign-ins for one name, or from one address,
/// within ``window``, further attempts for it are refused (without checking the password) until
/// the oldest failure is older than the window. Kept in memory: a restart forgets it, which
/// costs an attacker a restart of the server per five guesses.
actor SignInThrottle {
    let limit: Int
    let window: TimeInterval
    private var failures: [String: [Date]] = [:]

    init(limit: Int = 5, window: TimeInterval = 600) {
        self.limit = limit
        self.window = window
    }

    /// Whether an attempt for `keys` (a name, an address) may go ahead at `now`.
    func allows(_ keys: [String], now: Date) -> Bool {
        keys.allSatisfy { key in
            let recent = (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
            failures[key] = recent.isEmpty ? nil : recent
            return recent.count < limit
        }
    }

    func recordFailure(_ keys: [String], now: Date) {
        for key in keys { failures[key, default: []].append(now) }
    }

    func recordSuccess(name key: String) {
        failures[key] = nil
    }
}
