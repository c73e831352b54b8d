import Foundation
import NIOSSL

/// The TLS side of a connection: trust roots, client certificate and key, read from PEM files and
/// checked before the first request, so a bad file ends the command with exit 2 naming it.
enum TLSMaterial {
    /// The client TLS configuration for `settings` (nil for plain HTTP without TLS options).
    static func configuration(for settings: ConnectionSettings) throws(LiveInputError) -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if settings.insecure {
            tls.certificateVerification = .none
        }
        if let path = settings.caCertificate {
            tls.trustRoots = .certificates(try certificates(path, option: settings.option("cacert")))
        }
        switch (settings.certificate, settings.key) {
        case (let cert?, let key?):
            tls.certificateChain = try certificates(cert, option: settings.option("cert")).map { .certificate($0) }
            tls.privateKey = .privateKey(try privateKey(key, option: settings.option("key")))
        case (nil, nil):
            break
        case (_?, nil):
            throw LiveInputError("\(settings.option("cert")) needs \(settings.option("key")) (the client certificate's private key)")
        case (nil, _?):
            throw LiveInputError("\(settings.option("key")) needs \(settings.option("cert")) (the client certificate)")
        }
        do {
            _ = try NIOSSLContext(configuration: tls)
        } catch {
            throw LiveInputError("\(settings.option("key")) \(settings.key ?? ""): the private key does not match the certificate \(settings.certificate ?? "") (\(error))")
        }
        return tls
    }

    static func certificates(_ path: String, option: String) throws(LiveInputError) -> [NIOSSLCertificate] {
        let bytes = try read(path, option: option)
        guard let certificates = try? NIOSSLCertificate.fromPEMBytes(bytes), !certificates.isEmpty else {
            throw LiveInputError("\(option) \(path): not a PEM certificate (expected -----BEGIN CERTIFICATE-----)")
        }
        return certificates
    }

    /// PKCS#8 (`BEGIN PRIVATE KEY`), PKCS#1 RSA (`BEGIN RSA PRIVATE KEY`) and EC (`BEGIN EC PRIVATE KEY`).
    static func privateKey(_ path: String, option: String) throws(LiveInputError) -> NIOSSLPrivateKey {
        let bytes = try read(path, option: option)
        if String(decoding: bytes, as: UTF8.self).contains("ENCRYPTED") {
            throw LiveInputError("\(option) \(path): the key is encrypted; give an unencrypted PEM key (openssl pkey -in KEY -out PLAIN)")
        }
        guard let key = try? NIOSSLPrivateKey(bytes: bytes, format: .pem) else {
            throw LiveInputError("\(option) \(path): not a PEM private key (PKCS#8, PKCS#1 RSA or EC)")
        }
        return key
    }

    private static func read(_ path: String, option: String) throws(LiveInputError) -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw LiveInputError("\(option) \(path): no such file")
        }
        guard !isDirectory.boolValue else { throw LiveInputError("\(option) \(path): is a directory, not a PEM file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw LiveInputError("\(option) \(path): cannot read the file (permission denied?)")
        }
        return [UInt8](data)
    }
}
