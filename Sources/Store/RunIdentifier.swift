import Foundation

/// Short readable run ids, `r-YYYYMMDD-xxxxxxxx`: the UTC day the run was created and eight
/// random hex digits.
///
/// Random, not counted, so that processes (or machines) creating runs in one database at once do
/// not compute the same id: two ids of one day collide with probability 2⁻³², and the store
/// draws again when an id is taken. (Ids derived from a count of the stored runs were equal for
/// two transactions that counted at the same time.)
package enum RunIdentifier {
    package static func make(createdAt: Date, using generator: inout some RandomNumberGenerator) -> String {
        "r-\(day(of: createdAt))-\(hex(generator.next() & 0xFFFF_FFFF, digits: 8))"
    }

    /// `YYYYMMDD` of `date` in UTC (the proleptic Gregorian calendar, Hinnant's civil_from_days).
    static func day(of date: Date) -> String {
        let days = Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let dayOfMonth = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return pad(year, 4) + pad(month, 2) + pad(dayOfMonth, 2)
    }

    private static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    private static func pad(_ value: Int, _ digits: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
