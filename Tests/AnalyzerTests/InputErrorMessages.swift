@testable import Analyzer

/// The diagnostics an input error carries, as printed; none when `body` succeeds.
func inputErrorMessages(_ body: () throws -> Void) -> [String] {
    do {
        try body()
        return []
    } catch let error as InputError {
        return error.diagnostics.map(\.description)
    } catch {
        return ["unexpected error \(error)"]
    }
}
