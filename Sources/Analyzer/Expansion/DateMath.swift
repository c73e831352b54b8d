import Foundation

/// OpenSearch date-math index names: `<logs-{now/d}>`, `<logs-{now-1d{yyyy.MM}}>`,
/// `<logs-{now/M{yyyy.MM|+01:00}}>`. Used both for requested names and for role patterns
/// written in that form (§3: resolved per request, then matched as a pattern).
public enum DateMath {
    public struct Failure: Error, Equatable, Sendable {
        public let expression: String
        public let reason: String
    }

    /// Whether `text` is a date-math expression (`<…>`).
    public static func isExpression(_ text: String) -> Bool {
        // The counting test last: it walks the whole text, the others do not.
        text.hasPrefix("<") && text.hasSuffix(">") && text.count >= 2
    }

    /// Resolves `<static{math{format|zone}}static>` at `now`.
    public static func resolve(_ text: String, now: Date) -> Result<String, Failure> {
        guard isExpression(text) else { return .success(text) }
        let body = Array(text.dropFirst().dropLast())
        var output = ""
        var index = 0
        while index < body.count {
            let character = body[index]
            if character == "\\", index + 1 < body.count {
                output.append(body[index + 1])
                index += 2
                continue
            }
            guard character == "{" else {
                if character == "}" { return .failure(Failure(expression: text, reason: "unbalanced '}'")) }
                output.append(character)
                index += 1
                continue
            }
            // Find the matching closing brace of this placeholder.
            var depth = 0, end = index
            while end < body.count {
                if body[end] == "{" { depth += 1 }
                if body[end] == "}" { depth -= 1; if depth == 0 { break } }
                end += 1
            }
            guard end < body.count else { return .failure(Failure(expression: text, reason: "unclosed '{'")) }
            let inner = String(body[(index + 1)..<end])
            switch evaluate(inner, now: now) {
            case .success(let value): output += value
            case .failure(let reason): return .failure(Failure(expression: text, reason: reason.reason))
            }
            index = end + 1
        }
        return .success(output)
    }

    private struct Reason: Error { let reason: String }

    private static func evaluate(_ placeholder: String, now: Date) -> Result<String, Reason> {
        var math = placeholder, format = "uuuu.MM.dd", zone = Zone(timeZone: .gmt, shift: 0)
        if let brace = placeholder.firstIndex(of: "{") {
            guard placeholder.hasSuffix("}") else { return .failure(Reason(reason: "bad format block in {\(placeholder)}")) }
            math = String(placeholder[..<brace])
            let spec = String(placeholder[placeholder.index(after: brace)..<placeholder.index(before: placeholder.endIndex)])
            let parts = spec.split(separator: "|", maxSplits: 1).map(String.init)
            if let first = parts.first, !first.isEmpty { format = first }
            if parts.count == 2 {
                guard let parsed = Zone(parts[1]) else {
                    return .failure(Reason(reason: "unknown time zone \(parts[1])"))
                }
                zone = parsed
            }
        }
        guard math.hasPrefix("now") else { return .failure(Reason(reason: "date math must start with 'now', found '\(math)'")) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone.timeZone
        var date = now.addingTimeInterval(zone.shift)
        var rest = Substring(math.dropFirst(3))
        while let sign = rest.first {
            rest = rest.dropFirst()
            if sign == "/" {
                guard let unit = rest.first, let component = component(unit) else { return .failure(Reason(reason: "bad rounding in \(math)")) }
                rest = rest.dropFirst()
                date = round(date, to: component, unit: unit, calendar: calendar)
                continue
            }
            guard sign == "+" || sign == "-" else { return .failure(Reason(reason: "unexpected '\(sign)' in \(math)")) }
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            rest = rest.dropFirst(digits.count)
            guard let unit = rest.first, let component = component(unit) else { return .failure(Reason(reason: "missing unit in \(math)")) }
            rest = rest.dropFirst()
            // The plugin's date math parser reads the amount as a Java int (Integer.parseInt in
            // OpenSearch's JavaDateMathParser.parseMath); a larger one is a parse error there too.
            guard let amount = digits.isEmpty ? 1 : Int32(digits) else {
                return .failure(Reason(reason: "amount \(digits) in \(math) is out of range (at most \(Int32.max))"))
            }
            let value = Int(amount) * (unit == "w" ? 7 : 1) * (sign == "+" ? 1 : -1)
            guard let moved = calendar.date(byAdding: component, value: value, to: date), moved.isWithinDateMathRange else {
                return .failure(Reason(reason: "\(math) falls outside the dates a date-math name can hold"))
            }
            date = moved
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone.timeZone
        // Java's `uuuu` (proleptic year) is `yyyy` for Foundation.
        formatter.dateFormat = format.replacingOccurrences(of: "u", with: "y")
        return .success(formatter.string(from: date))
    }

    private static func component(_ unit: Character) -> Calendar.Component? {
        switch unit {
        case "y": .year
        case "M": .month
        case "w", "d": .day
        case "h", "H": .hour
        case "m": .minute
        case "s": .second
        default: nil
        }
    }

    private static func round(_ date: Date, to component: Calendar.Component, unit: Character, calendar: Calendar) -> Date {
        if unit == "w" { return calendar.dateInterval(of: .weekOfYear, for: date)?.start ?? date }
        return calendar.dateInterval(of: component, for: date)?.start ?? date
    }

}

/// The zone of a date-math placeholder, as Java's `ZoneId.of` reads it: `Z`, a fixed offset
/// (`+h`, `+hh`, `+hh:mm`, `+hhmm`, `+hh:mm:ss`, `+hhmmss`, at most 18 hours), the same after `UTC`,
/// `GMT` or `UT`, or a region such as `Europe/Paris`.
struct Zone {
    let timeZone: TimeZone
    /// Seconds added to the instant before working in `timeZone`. Foundation on Linux cannot
    /// format in fixed offsets beyond 14 hours (it traps), so those are computed as the same wall
    /// clock in UTC: equal fields, with no daylight saving to get wrong in a fixed offset.
    let shift: TimeInterval

    init(timeZone: TimeZone, shift: TimeInterval) {
        self.timeZone = timeZone
        self.shift = shift
    }

    init?(_ text: String) {
        if text == "Z" { self.init(timeZone: .gmt, shift: 0); return }
        if let prefix = ["UTC", "GMT", "UT"].first(where: { text.hasPrefix($0) }) {
            let offset = text.dropFirst(prefix.count)
            if offset.isEmpty { self.init(timeZone: .gmt, shift: 0); return }
            guard let seconds = Zone.offsetSeconds(offset) else { return nil }
            self.init(offset: seconds)
            return
        }
        if let seconds = Zone.offsetSeconds(Substring(text)) { self.init(offset: seconds); return }
        guard let region = TimeZone(identifier: text) else { return nil }
        self.init(timeZone: region, shift: 0)
    }

    private init?(offset seconds: Int) {
        if abs(seconds) <= 14 * 3600, let fixed = TimeZone(secondsFromGMT: seconds) {
            self.init(timeZone: fixed, shift: 0)
        } else {
            self.init(timeZone: .gmt, shift: TimeInterval(seconds))
        }
    }

    /// Seconds east of UTC for a signed offset in one of `ZoneOffset.of`'s forms; nil otherwise.
    static func offsetSeconds(_ text: Substring) -> Int? {
        guard let sign = text.first, sign == "+" || sign == "-" else { return nil }
        let body = text.dropFirst()
        guard body.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ":") }) else { return nil }
        let fields: [Substring]
        switch body.count {
        case 1, 2: fields = [body]
        case 4 where !body.contains(":"): fields = [body.prefix(2), body.suffix(2)]
        case 5, 8: fields = body.split(separator: ":", omittingEmptySubsequences: false)
        case 6 where !body.contains(":"): fields = [body.prefix(2), body.dropFirst(2).prefix(2), body.suffix(2)]
        default: return nil
        }
        let numbers = fields.compactMap { $0.count <= 2 ? Int($0) : nil }
        guard numbers.count == fields.count, numbers.count <= 3, let hours = numbers.first, hours <= 18,
              numbers.dropFirst().allSatisfy({ $0 < 60 }) else { return nil }
        let seconds = hours * 3600 + (numbers.count > 1 ? numbers[1] * 60 : 0) + (numbers.count > 2 ? numbers[2] : 0)
        guard seconds <= 18 * 3600 else { return nil }
        return sign == "-" ? -seconds : seconds
    }
}

extension Date {
    /// A bound secperm sets, narrower than the plugin's: Java's date types reach year ±999,999,999,
    /// secperm resolves only years 1 to 9999 (as the Gregorian calendar in UTC counts them) and
    /// reports anything further as an error instead of formatting dates it has not checked.
    var isWithinDateMathRange: Bool {
        timeIntervalSinceReferenceDate.isFinite && (-63_113_904_000.0 ... 252_423_993_600.0).contains(timeIntervalSinceReferenceDate)
    }
}
