import Foundation

/// The fields of an `application/x-www-form-urlencoded` body (`a=1&b=two+words`).
struct Form: Sendable, Equatable {
    private(set) var fields: [String: String] = [:]

    init(_ fields: [String: String]) {
        self.fields = fields
    }

    /// Reads `body`; a field given twice keeps its last value, a malformed escape its raw text.
    init(parsing body: String) {
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            fields[name] = parts.count > 1 ? Self.decode(parts[1]) : ""
        }
    }

    subscript(_ name: String) -> String? { fields[name] }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
