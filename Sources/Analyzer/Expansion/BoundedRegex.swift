import Foundation
import Synchronization

/// A full-match regular expression whose evaluation is cut off after a time budget, so that a
/// pathological pattern in a role file cannot hang secperm. A cut-off evaluation is reported as
/// `.timedOut` and treated as "no match" (fewer privileges, never more).
///
/// ICU (behind `NSRegularExpression`) and Java share the syntax that role files use; the plugin
/// calls `Matcher.matches()`, so the body is anchored at both ends.
public final class BoundedRegex: Hashable, Sendable {
    public enum Outcome: Sendable, Equatable { case match, noMatch, timedOut }

    /// Budget for one evaluation.
    public static let timeBudget: TimeInterval = 0.05

    public let body: String
    /// Literal text every match must start with (empty when none can be proved), checked before
    /// the regex engine runs: most names fail here for free.
    public let requiredPrefix: String
    private let expression: NSRegularExpression
    /// Outcomes already computed (matching is pure); cleared when it grows large.
    private let memo = Mutex<[String: Bool]>([:])

    private init(body: String, expression: NSRegularExpression) {
        self.body = body
        self.expression = expression
        requiredPrefix = BoundedRegex.literalPrefix(of: body)
    }

    /// The leading run of literal characters of a regex without alternation. A quantifier right
    /// after the run makes its last character optional, so that character is dropped.
    static func literalPrefix(of body: String) -> String {
        guard !body.contains("|") else { return "" }
        let metacharacters = Set("\\.[](){}*+?^$|")
        var prefix = ""
        for character in body {
            if metacharacters.contains(character) {
                if "*?{".contains(character), !prefix.isEmpty { prefix.removeLast() }
                break
            }
            prefix.append(character)
        }
        return prefix
    }

    public static func compile(_ body: String) -> Result<BoundedRegex, PatternError> {
        do {
            _ = try NSRegularExpression(pattern: body)
        } catch {
            return .failure(PatternError(pattern: "/\(body)/", reason: reason(for: body)))
        }
        do {
            let anchored = try NSRegularExpression(pattern: "\\A(?:\(body))\\z")
            return .success(BoundedRegex(body: body, expression: anchored))
        } catch {
            return .failure(PatternError(pattern: "/\(body)/", reason: "cannot be anchored for a full match"))
        }
    }

    private static func reason(for body: String) -> String {
        var depth = 0
        for character in body {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if depth < 0 { return "unmatched closing parenthesis" }
        }
        if depth > 0 { return "unclosed group" }
        return "not a valid regular expression"
    }

    public func evaluate(_ text: String) -> Outcome {
        if !requiredPrefix.isEmpty, !text.utf8.starts(with: requiredPrefix.utf8) { return .noMatch }
        if let known = memo.withLock({ $0[text] }) { return known ? .match : .noMatch }
        let outcome = evaluateUncached(text)
        if outcome != .timedOut {
            memo.withLock { cache in
                if cache.count >= 10_000 { cache.removeAll(keepingCapacity: true) }
                cache[text] = outcome == .match
            }
        }
        return outcome
    }

    private func evaluateUncached(_ text: String) -> Outcome {
        let deadline = Date().addingTimeInterval(BoundedRegex.timeBudget)
        var matched = false
        var timedOut = false
        let range = NSRange(location: 0, length: (text as NSString).length)
        expression.enumerateMatches(in: text, options: [.reportProgress], range: range) { result, _, stop in
            if result != nil {
                matched = true
                stop.pointee = true
            } else if Date() > deadline {
                timedOut = true
                stop.pointee = true
            }
        }
        if matched { return .match }
        return timedOut ? .timedOut : .noMatch
    }

    public static func == (lhs: BoundedRegex, rhs: BoundedRegex) -> Bool { lhs.body == rhs.body }
    public func hash(into hasher: inout Hasher) { hasher.combine(body) }
}
