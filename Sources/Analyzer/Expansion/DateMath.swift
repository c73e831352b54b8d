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
        text.count >= 2 && text.hasPrefix("<") && text.hasSuffix(">")
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
        var math = placeholder, format = "uuuu.MM.dd", zone = TimeZone(identifier: "UTC")!
        if let brace = placeholder.firstIndex(of: "{") {
            guard placeholder.hasSuffix("}") else { return .failure(Reason(reason: "bad format block in {\(placeholder)}")) }
            math = String(placeholder[..<brace])
            let spec = String(placeholder[placeholder.index(after: brace)..<placeholder.index(before: placeholder.endIndex)])
            let parts = spec.split(separator: "|", maxSplits: 1).map(String.init)
            if let first = parts.first, !first.isEmpty { format = first }
            if parts.count == 2 {
                guard let parsed = TimeZone(identifier: parts[1]) ?? offsetZone(parts[1]) else {
                    return .failure(Reason(reason: "unknown time zone \(parts[1])"))
                }
                zone = parsed
            }
        }
        guard math.hasPrefix("now") else { return .failure(Reason(reason: "date math must start with 'now', found '\(math)'")) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        var date = now
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
            let digits = rest.prefix { $0.isNumber }
            rest = rest.dropFirst(digits.count)
            guard let unit = rest.first, let component = component(unit) else { return .failure(Reason(reason: "missing unit in \(math)")) }
            rest = rest.dropFirst()
            var amount = Int(digits) ?? 1
            if unit == "w" { amount *= 7 }
            date = calendar.date(byAdding: component, value: sign == "+" ? amount : -amount, to: date) ?? date
        }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = zone
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

    private static func offsetZone(_ text: String) -> TimeZone? {
        let pieces = text.dropFirst().split(separator: ":")
        guard let sign = text.first, sign == "+" || sign == "-", let hours = Int(pieces.first ?? ""), pieces.count <= 2 else { return nil }
        let minutes = pieces.count == 2 ? Int(pieces[1]) ?? 0 : 0
        return TimeZone(secondsFromGMT: (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60))
    }
}
