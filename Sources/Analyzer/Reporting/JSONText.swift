/// JSON text written by hand where an encoder per value costs more than the value (batch lines).
enum JSONText {
    /// `text` as a JSON string literal (RFC 8259 §7: `"`, `\` and control characters escaped;
    /// `/` and non-ASCII left as they are, as JSONOutput's `.withoutEscapingSlashes` writes them).
    static func quoted(_ text: String) -> String {
        var out = ""
        appendQuoted(text, to: &out)
        return out
    }

    /// Appends `text` as a JSON string literal to `out` (no intermediate string).
    static func appendQuoted(_ text: String, to out: inout String) {
        out += "\""
        var plain = true
        for byte in text.utf8 where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            plain = false
            break
        }
        if plain {
            out += text
        } else {
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                case "\u{08}": out += "\\b"
                case "\u{0C}": out += "\\f"
                case let control where control.value < 0x20:
                    let hex = String(control.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                default: out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

extension JSONText {
    /// Appends `text` as a JSON string literal to a byte buffer (the same bytes as
    /// ``quoted(_:)``: only ASCII `"`, `\` and control characters are escaped, so it goes byte by byte).
    static func appendQuoted(_ text: String, to out: inout ByteBuffer) {
        var text = text
        text.withUTF8 { appendQuoted($0, to: &out) }
    }

    static func appendQuoted(_ utf8: UnsafeBufferPointer<UInt8>, to out: inout ByteBuffer) {
        out.append(UInt8(ascii: "\""))
        var plain = 0
        for (offset, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
            out.append(UnsafeBufferPointer(rebasing: utf8[plain..<offset]))
            plain = offset + 1
            appendEscape(byte, to: &out)
        }
        out.append(UnsafeBufferPointer(rebasing: utf8[plain...]))
        out.append(UInt8(ascii: "\""))
    }

    private static func appendEscape(_ byte: UInt8, to out: inout ByteBuffer) {
        let short: UInt8? = switch byte {
        case UInt8(ascii: "\""): UInt8(ascii: "\"")
        case UInt8(ascii: "\\"): UInt8(ascii: "\\")
        case 0x0A: UInt8(ascii: "n")
        case 0x0D: UInt8(ascii: "r")
        case 0x09: UInt8(ascii: "t")
        case 0x08: UInt8(ascii: "b")
        case 0x0C: UInt8(ascii: "f")
        default: nil
        }
        out.append(UInt8(ascii: "\\"))
        if let short {
            out.append(short)
        } else {
            let hex: StaticString = "0123456789abcdef"
            out.append("u00")
            out.append(hex.utf8Start[Int(byte >> 4)])
            out.append(hex.utf8Start[Int(byte & 0x0F)])
        }
    }
}
