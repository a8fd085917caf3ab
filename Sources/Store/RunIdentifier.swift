import Foundation
import SeededRandom

/// Short readable run ids, `r-YYYYMMDD-xxxx`: the UTC day the run was created and four hex
/// digits derived from the run's seed and a counter.
///
/// The store passes the number of runs already stored as `counter`, and raises `attempt` until
/// the id is free, so equal databases and equal inputs give equal ids (no clock, no system RNG).
/// After 64 taken attempts the suffix grows to eight digits.
enum RunIdentifier {
    static func make(createdAt: Date, seed: UInt64, counter: Int, attempt: Int) -> String {
        let mixer = SplitMix64(seed: seed).split(
            stream: UInt64(counter) &* 0x1_0000 &+ UInt64(attempt))
        var generator = mixer
        let bits = generator.next()
        let suffix =
            attempt < 64
            ? hex(bits & 0xFFFF, digits: 4) : hex(bits & 0xFFFF_FFFF, digits: 8)
        return "r-\(day(of: createdAt))-\(suffix)"
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
