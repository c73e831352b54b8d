import CCrypt
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Checks a password against a stored hash, and makes hashes for new passwords. The simulated
/// cluster only ever sees it through this protocol, so tests and other platforms can swap it.
public protocol PasswordHasher: Sendable {
    /// Whether `password` is the one `hash` was made from. False for a malformed hash.
    func verify(_ password: String, against hash: String) -> Bool
    /// A new hash of `password`; nil when the system cannot make one.
    func hash(_ password: String) -> String?
}

/// bcrypt through the system's crypt(3) (`crypt_r`, `crypt_gensalt_rn` of libxcrypt): the plugin
/// stores internal users' passwords as bcrypt (`$2y$12$…`; `$2a$`/`$2b$` verify too). No hashing
/// code of our own.
public struct SystemCryptHasher: PasswordHasher {
    /// Hash prefix for new passwords: the plugin writes `$2y$` (OpenBSDBCrypt / password4j).
    public let prefix: String
    /// bcrypt cost for new passwords; the plugin's default is 12.
    public let cost: Int

    public init(prefix: String = "$2y$", cost: Int = 12) {
        self.prefix = prefix
        self.cost = min(max(cost, 4), 31)
    }

    public func verify(_ password: String, against hash: String) -> Bool {
        guard isBcrypt(hash), let computed = crypt(password, setting: hash) else { return false }
        return constantTimeEqual(Array(computed.utf8), Array(hash.utf8))
    }

    public func hash(_ password: String) -> String? {
        guard let setting = salt() else { return nil }
        return crypt(password, setting: setting)
    }

    /// Only bcrypt settings reach crypt(3): a DES or MD5 "hash" in the file must not log anyone in.
    private func isBcrypt(_ hash: String) -> Bool {
        ["$2a$", "$2b$", "$2y$"].contains(where: hash.hasPrefix) && hash.utf8.count == 60
    }

    private func crypt(_ phrase: String, setting: String) -> String? {
        #if os(Linux)
        let data = UnsafeMutablePointer<crypt_data>.allocate(capacity: 1)
        defer { data.deallocate() }
        memset(data, 0, MemoryLayout<crypt_data>.size)
        guard let result = crypt_r(phrase, setting, data) else { return nil }
        let text = String(cString: result)
        // Failure tokens start with '*'; a valid result has the setting's prefix.
        return text.hasPrefix("*") ? nil : text
        #else
        return nil
        #endif
    }

    private func salt() -> String? {
        #if os(Linux)
        var output = [CChar](repeating: 0, count: Int(CRYPT_GENSALT_OUTPUT_SIZE))
        let count = output.count
        let made = output.withUnsafeMutableBufferPointer { buffer in
            crypt_gensalt_rn(prefix, UInt(cost), nil, 0, buffer.baseAddress, Int32(count))
        }
        guard made != nil else { return nil }
        let bytes = output.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
        #else
        return nil
        #endif
    }

    private func constantTimeEqual(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
