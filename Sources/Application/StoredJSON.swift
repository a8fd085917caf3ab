import Foundation

/// `value` as the store keeps JSON (configurations, reports, snapshots): keys sorted, so that
/// equal values are equal text.
func storedJSON(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}
