import Foundation
import PropertyBased
import SeededRandom
import Testing

@testable import Store

@Suite struct RunIdentifierTests {
    @Test(arguments: [
        (0.0, "19700101"),
        (-1.0, "19691231"),
        (951_782_400.0, "20000229"),  // 2000-02-29, a leap day of a century divisible by 400
        (1_795_824_000.0, "20261128"),
        (1_795_910_399.999, "20261128"),  // the last millisecond of the day
        (4_107_542_400.0, "21000301"),  // 2100 is not a leap year: Feb 28 is followed by Mar 1
    ])
    func dayIsTheUTCCalendarDate(seconds: Double, expected: String) {
        #expect(RunIdentifier.day(of: Date(timeIntervalSince1970: seconds)) == expected)
    }

    @Test func dayAgreesWithFoundationsGregorianCalendar() async {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        await propertyCheck(input: Gen.double(in: -4_000_000_000...8_000_000_000)) { seconds in
            let date = Date(timeIntervalSince1970: seconds)
            let parts = calendar.dateComponents([.year, .month, .day], from: date)
            let expected = String(
                format: "%04d%02d%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
            #expect(RunIdentifier.day(of: date) == expected)
        }
    }

    @Test(arguments: [0, 7, 0xFFFF_FFFF_FFFF_FFFF] as [UInt64])
    func idsAreTheDayAndEightHexDigitsOfTheGenerator(seed: UInt64) {
        let date = Date(timeIntervalSince1970: 1_795_824_000)
        var generator = SplitMix64(seed: seed)
        var again = SplitMix64(seed: seed)
        let id = RunIdentifier.make(createdAt: date, using: &generator)
        #expect(id == RunIdentifier.make(createdAt: date, using: &again))
        #expect(id.hasPrefix("r-20261128-"))
        let suffix = id.dropFirst("r-20261128-".count)
        #expect(suffix.count == 8 && suffix.allSatisfy(\.isHexDigit))
        var third = SplitMix64(seed: seed)
        #expect(UInt64(suffix, radix: 16) == third.next() & 0xFFFF_FFFF)
    }
}
