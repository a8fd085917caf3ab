import Crypto
import Foundation
import HummingbirdBcrypt

/// Passwords and tokens: what is kept of a secret is a hash, never the secret.
enum Credentials {
    /// A new random token: 32 bytes from the system's secure generator, as 64 hex digits.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(format: "%016llx", generator.next() as UInt64) }.joined()
    }

    /// The SHA-256 of `token`, as 64 hex digits: how sessions and invitations are stored (a
    /// token is random and long, so a fast hash is enough; passwords get bcrypt).
    static func tokenHash(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `left` equals `right`, in a time that does not depend on where they differ.
    static func constantTimeEqual(_ left: String, _ right: String) -> Bool {
        let (a, b) = (Array(left.utf8), Array(right.utf8))
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}

/// Hashes and checks passwords with bcrypt.
public struct PasswordHasher: Sendable {
    /// bcrypt's cost: 2^cost rounds (12 takes a quarter of a second here; tests use the minimum, 4).
    public let cost: UInt8

    /// The shortest password accepted.
    public static let minimumLength = 8

    public init(cost: UInt8 = 12) {
        precondition((4...31).contains(cost), "PasswordHasher: bcrypt's cost is 4 to 31, got \(cost)")
        self.cost = cost
    }

    func hash(_ password: String) -> String {
        Bcrypt.hash(password, cost: cost)
    }

    func verify(_ password: String, hash: String) -> Bool {
        Bcrypt.verify(password, hash: hash)
    }

    /// Why `password` cannot be used, or `nil`. bcrypt reads 72 bytes at most, so a longer
    /// password would be silently cut: it is refused instead.
    static func problem(with password: String) -> String? {
        if password.count < minimumLength { return "a password needs at least \(minimumLength) characters" }
        if password.utf8.count > 72 { return "a password takes at most 72 bytes (bcrypt reads no more)" }
        if password.utf8.contains(0) { return "a password cannot contain a NUL character" }
        return nil
    }
}
