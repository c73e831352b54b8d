import SwiftASN1

/// The subject DN of a DER certificate as RFC 2253 text, the way the plugin names a client
/// certificate's principal (Java `X500Principal.getName()`, RFC 2253 form): the RDNs from the most
/// specific (last in the certificate) to the least, the keywords CN, C, L, ST, O, OU, STREET, DC
/// and UID, any other attribute as its dotted OID with `#` and the hex of its DER value, and the
/// RFC 2253 §2.4 characters escaped with `\`.
enum CertificateSubject {
    static func rfc2253(der: [UInt8]) -> String? {
        guard let certificate = try? DER.parse(der), let tbs = children(certificate).first else { return nil }
        var fields = children(tbs)
        if let first = fields.first, first.identifier.tagClass == .contextSpecific { fields.removeFirst() }
        // serialNumber, signature, issuer, validity, subject
        guard fields.count > 4 else { return nil }
        return render(name: fields[4])
    }

    static let keywords: [String: String] = [
        "2.5.4.3": "CN", "2.5.4.6": "C", "2.5.4.7": "L", "2.5.4.8": "ST", "2.5.4.10": "O", "2.5.4.11": "OU",
        "2.5.4.9": "STREET", "0.9.2342.19200300.100.1.25": "DC", "0.9.2342.19200300.100.1.1": "UID",
    ]

    private static func render(name: ASN1Node) -> String? {
        var rdns: [String] = []
        for rdn in children(name) {
            var parts: [String] = []
            for attribute in children(rdn) {
                let pair = children(attribute)
                guard pair.count == 2, let oid = try? ASN1ObjectIdentifier(derEncoded: pair[0]) else { return nil }
                let dotted = oid.description
                if let keyword = keywords[dotted], let value = string(pair[1]) {
                    parts.append("\(keyword)=\(escape(value))")
                } else {
                    parts.append("\(dotted)=#\(pair[1].encodedBytes.map(hex).joined())")
                }
            }
            rdns.append(parts.joined(separator: "+"))
        }
        return rdns.reversed().joined(separator: ",")
    }

    private static func children(_ node: ASN1Node) -> [ASN1Node] {
        if case .constructed(let nodes) = node.content { return Array(nodes) }
        return []
    }

    /// The directory-string types: UTF8String, PrintableString, IA5String, TeletexString (read as
    /// Latin-1), BMPString (UTF-16BE), UniversalString (UTF-32BE).
    private static func string(_ node: ASN1Node) -> String? {
        guard case .primitive(let bytes) = node.content, node.identifier.tagClass == .universal else { return nil }
        switch node.identifier.tagNumber {
        case 12, 19, 22: return String(validating: Array(bytes), as: UTF8.self)
        case 20: return String(bytes.map { Character(Unicode.Scalar($0)) })
        case 30: return decodeUnits(Array(bytes), width: 2)
        case 28: return decodeUnits(Array(bytes), width: 4)
        default: return nil
        }
    }

    private static func decodeUnits(_ bytes: [UInt8], width: Int) -> String? {
        guard bytes.count % width == 0 else { return nil }
        var scalars = String.UnicodeScalarView()
        if width == 2 {
            let units = stride(from: 0, to: bytes.count, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
            return String(validating: units, as: UTF16.self)
        }
        for start in stride(from: 0, to: bytes.count, by: 4) {
            let value = bytes[start..<start + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            guard let scalar = Unicode.Scalar(value) else { return nil }
            scalars.append(scalar)
        }
        return String(scalars)
    }

    /// RFC 2253 §2.4: `,` `+` `"` `\` `<` `>` `;` escaped, and a leading `#` or space and a
    /// trailing space.
    static func escape(_ value: String) -> String {
        var out = ""
        let characters = Array(value)
        for (index, character) in characters.enumerated() {
            let special = ",+\"\\<>;".contains(character)
                || (index == 0 && (character == "#" || character == " "))
                || (index == characters.count - 1 && character == " ")
            if special { out.append("\\") }
            out.append(character)
        }
        return out
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0f)]])
    }
}
