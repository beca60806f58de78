/// Reads timestamptz as Postgres prints it with DateStyle ISO: "2026-11-25 18:52:18.123456+00"
/// (fraction optional, up to six digits; offset ±HH, ±HH:MM or ±HH:MM:SS). By arithmetic on
/// the digits: the regular expressions and ISO 8601 parser used before cost ~0.1 ms a value,
/// most of `heaters status`'s decoding. Years 1–9999 (AD); nil for anything else, such as
/// 'infinity'.
enum PostgresTimestamp {
    static func secondsSince1970(_ text: String) -> Double? {
        var utf8 = text.utf8[...]
        func number(_ digits: Int) -> Int? {
            guard utf8.count >= digits else { return nil }
            var value = 0
            for byte in utf8.prefix(digits) {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
            }
            utf8 = utf8.dropFirst(digits)
            return value
        }
        func skip(_ byte: UInt8) -> Bool {
            guard utf8.first == byte else { return false }
            utf8 = utf8.dropFirst()
            return true
        }
        guard let year = number(4), year >= 1, skip(0x2D), let month = number(2), (1...12).contains(month), skip(0x2D),
              let day = number(2), (1...31).contains(day), skip(0x20) || skip(0x54),
              let hour = number(2), hour < 24, skip(0x3A), let minute = number(2), minute < 60, skip(0x3A),
              let second = number(2), second < 61 else { return nil }
        var fraction = 0.0
        if skip(0x2E) {
            var scale = 0.1, digits = 0
            while let byte = utf8.first, byte >= 0x30, byte <= 0x39 {
                fraction += Double(byte - 0x30) * scale
                scale /= 10
                digits += 1
                utf8 = utf8.dropFirst()
            }
            guard (1...6).contains(digits) else { return nil }
        }
        let sign: Int
        if skip(0x2B) { sign = 1 } else if skip(0x2D) { sign = -1 } else { return nil }
        guard let offsetHours = number(2) else { return nil }
        var offset = offsetHours * 3600
        if skip(0x3A) {
            guard let minutes = number(2) else { return nil }
            offset += minutes * 60
            if skip(0x3A) {
                guard let seconds = number(2) else { return nil }
                offset += seconds
            }
        }
        guard utf8.isEmpty else { return nil }
        let days = daysSince1970(year: year, month: month, day: day)
        let whole = days * 86_400 + hour * 3600 + minute * 60 + second - sign * offset
        return Double(whole) + fraction
    }

    /// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's
    /// days_from_civil).
    static func daysSince1970(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
