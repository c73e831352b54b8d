import Foundation

/// Distinct sequences (the bytes of a text, the text numbers of a list) numbered in the order first
/// seen, and found again from their elements alone: interning a name read from a file costs a hash
/// and a comparison, not a String. Elements are stored back to back in one array.
struct InternTable<Element: FixedWidthInteger & Sendable>: Sendable {
    /// Every sequence's elements, back to back; sequence `n` is `elements[starts[n]..<starts[n + 1]]`.
    private(set) var elements: [Element] = []
    private(set) var starts: [Int] = [0]
    /// Open addressing: the number of the sequence in each slot, or -1; a power of two long.
    private var slots: [Int32]
    private var hashes: [UInt64] = []

    init(capacity: Int = 1024) {
        var size = 16
        while size < capacity * 2 { size *= 2 }
        slots = Array(repeating: -1, count: size)
    }

    var count: Int { starts.count - 1 }

    subscript(number: Int) -> ArraySlice<Element> { elements[starts[number]..<starts[number + 1]] }

    /// The number of `sequence`, added when it is new (its elements are copied only then). Callers
    /// keep the count within Int32: a cases file is at most `InputText.maximumBytes` long.
    mutating func number(of sequence: UnsafeBufferPointer<Element>) -> Int32 {
        let hash = Self.hash(sequence)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let found = slots[slot]
            if found < 0 { break }
            if hashes[Int(found)] == hash, equals(Int(found), sequence) { return found }
            slot = (slot + 1) & mask
        }
        let number = Int32(count)
        slots[slot] = number
        hashes.append(hash)
        elements.append(contentsOf: sequence)
        starts.append(elements.count)
        if count * 2 > slots.count { grow() }
        return number
    }

    private func equals(_ number: Int, _ sequence: UnsafeBufferPointer<Element>) -> Bool {
        let start = starts[number], end = starts[number + 1]
        guard end - start == sequence.count else { return false }
        guard let other = sequence.baseAddress, !sequence.isEmpty else { return true }
        return elements.withUnsafeBufferPointer { stored in
            guard let base = stored.baseAddress else { return false }
            return memcmp(base + start, other, sequence.count * MemoryLayout<Element>.stride) == 0
        }
    }

    private mutating func grow() {
        var bigger = [Int32](repeating: -1, count: slots.count * 2)
        let mask = bigger.count - 1
        for number in 0..<count {
            var slot = Int(truncatingIfNeeded: hashes[number]) & mask
            while bigger[slot] >= 0 { slot = (slot + 1) & mask }
            bigger[slot] = Int32(number)
        }
        slots = bigger
    }

    /// A multiply-rotate hash of the elements' bytes, eight at a time (wrapping arithmetic is the
    /// point of a hash; the value only picks a slot, and equal sequences are compared in full).
    private static func hash(_ sequence: UnsafeBufferPointer<Element>) -> UInt64 {
        let bytes = UnsafeRawBufferPointer(sequence)
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: bytes.count)
        var offset = 0
        while offset + 8 <= bytes.count {
            hash = mix(hash, bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            offset += 8
        }
        if offset < bytes.count {
            var tail: UInt64 = 0
            for byte in bytes[offset...].reversed() { tail = tail << 8 | UInt64(byte) }
            hash = mix(hash, tail)
        }
        return (hash ^ (hash >> 32)) &* 0xD6E8_FEB8_6659_FD93
    }

    private static func mix(_ hash: UInt64, _ word: UInt64) -> UInt64 {
        let mixed = (hash ^ word) &* 0x9FB2_1C65_1E98_DF25
        return mixed ^ (mixed >> 29)
    }
}
