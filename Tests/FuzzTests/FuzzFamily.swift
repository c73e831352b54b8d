import Foundation

/// What the fuzzer mutates and which command reads it. Each iteration builds one input folder and
/// one command line from a generator seeded with (round seed, family, iteration).
enum FuzzFamily: String, CaseIterable, CustomStringConvertible, Sendable {
    /// A configuration file (YAML, cluster metadata JSON, opensearch.yml) → audit or check.
    case config
    /// A cases file → check --batch.
    case batch
    /// A console request file → actions (alone or with a dry run against the sample).
    case console
    /// A JWT/OIDC claims file → check --claims.
    case claims
    /// A value on the command line: --index, --request, --setting, --attribute, --action.
    case arguments

    var description: String { rawValue }

    /// Writes the input under `folder` and returns the command to run.
    func prepare(in folder: URL, random: inout SeededRandom) throws -> ContractRun {
        switch self {
        case .config: return try config(in: folder, random: &random)
        case .batch: return try batch(in: folder, random: &random)
        case .console: return try console(in: folder, random: &random)
        case .claims: return try claims(in: folder, random: &random)
        case .arguments: return arguments(in: folder, random: &random)
        }
    }

    private func write(_ scenario: FuzzCorpus.Scenario, to folder: URL, replacing path: String? = nil, with bytes: [UInt8] = []) throws {
        for (relative, content) in scenario.files {
            let url = folder.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(relative == path ? bytes : content).write(to: url)
        }
    }

    private func contextArguments(_ scenario: FuzzCorpus.Scenario, _ folder: URL) -> [String] {
        var arguments: [String] = []
        if let metadata = scenario.metadata { arguments += ["--cluster-metadata", folder.appendingPathComponent(metadata).path] }
        if let settings = scenario.settings { arguments += ["--opensearch-yml", folder.appendingPathComponent(settings).path] }
        return arguments
    }

    private func format(_ random: inout SeededRandom) -> (arguments: [String], output: ContractRun.Output) {
        random.chance(70) ? (["--format", "json"], .json) : (["--format", "text"], .text)
    }

    private func config(in folder: URL, random: inout SeededRandom) throws -> ContractRun {
        let scenario = random.pick(FuzzCorpus.scenarios)
        let candidates = scenario.files.keys.filter { $0.hasSuffix(".yml") || $0.hasSuffix(".json") }.sorted()
        let target = random.pick(candidates)
        var mutator = Mutator(random: random)
        let mutated = mutator.mutate(scenario.files[target] ?? [], kind: target.hasSuffix(".json") ? .json : .yaml)
        random = mutator.random
        try write(scenario, to: folder, replacing: target, with: mutated)
        let config = folder.appendingPathComponent(scenario.config).path
        var (formatArguments, output) = format(&random)
        let command: [String]
        if random.chance(50) {
            if random.chance(20) { (formatArguments, output) = (["--format", "sarif"], .json) }
            command = ["audit", config]
        } else {
            command = ["check", "--config", config, "--user=\(scenario.probe.user)", "--action=\(scenario.probe.action)"]
                + scenario.probe.indices.map { "--index=\($0)" }
        }
        return ContractRun(arguments: command + contextArguments(scenario, folder) + formatArguments, output: output, origin: .file(under: folder.path))
    }

    private func batch(in folder: URL, random: inout SeededRandom) throws -> ContractRun {
        let scenario = random.pick(FuzzCorpus.scenarios)
        let path = scenario.cases ?? "cases.jsonl"
        var mutator = Mutator(random: random)
        let mutated = mutator.mutate(scenario.files[path] ?? [], kind: .jsonLines)
        random = mutator.random
        try write(scenario, to: folder, replacing: path, with: mutated)
        let json = random.chance(70)
        return ContractRun(arguments: ["check", "--config", folder.appendingPathComponent(scenario.config).path,
                                       "--batch", folder.appendingPathComponent(path).path]
                                      + contextArguments(scenario, folder) + ["--format", json ? "json" : "text"],
                           output: json ? .jsonLines : .text, origin: .file(under: folder.path))
    }

    private func console(in folder: URL, random: inout SeededRandom) throws -> ContractRun {
        let seed = random.pick(FuzzCorpus.consoleFiles)
        var mutator = Mutator(random: random)
        let mutated = mutator.mutate(seed.bytes, kind: .console)
        random = mutator.random
        let file = folder.appendingPathComponent(seed.name)
        try Data(mutated).write(to: file)
        var arguments = ["actions", file.path]
        if random.chance(40) {
            let sample = FuzzCorpus.packageRoot.appendingPathComponent("data/samples/acme").path
            arguments += ["--config", sample, "--user", random.pick(["alice", "bob", "logstash_writer", "nobody"])]
        }
        let (formatArguments, output) = format(&random)
        return ContractRun(arguments: arguments + formatArguments, output: output, origin: .file(under: folder.path))
    }

    private func claims(in folder: URL, random: inout SeededRandom) throws -> ContractRun {
        let seed = random.pick(FuzzCorpus.claimsFiles)
        var mutator = Mutator(random: random)
        let mutated = mutator.mutate(seed.bytes, kind: .json)
        random = mutator.random
        let file = folder.appendingPathComponent(seed.name)
        try Data(mutated).write(to: file)
        let sample = FuzzCorpus.packageRoot.appendingPathComponent("data/samples/acme").path
        let (formatArguments, output) = format(&random)
        return ContractRun(arguments: ["check", "--config", sample, "--claims", file.path,
                                       "--action", "indices:data/read/search", "--index", "sales-2024"] + formatArguments,
                           output: output, origin: .file(under: folder.path))
    }

    /// Inline values cannot carry NUL bytes (argv), arrive as UTF-8 and are at most 64 KiB (Linux
    /// refuses a single argument past 128 KiB); the rest is as mutated.
    private func arguments(in folder: URL, random: inout SeededRandom) -> ContractRun {
        let seed = random.pick(FuzzCorpus.argumentSeeds)
        var mutator = Mutator(random: random)
        let bytes = mutator.mutate(Array(random.pick(seed.values).utf8), kind: seed.option == "--request" ? .console : .yaml)
        random = mutator.random
        let value = String(decoding: bytes.filter { $0 != 0 }.prefix(65_536), as: UTF8.self)
        let sample = FuzzCorpus.packageRoot.appendingPathComponent("data/samples/acme").path
        let (formatArguments, output) = format(&random)
        let command: [String] = switch seed.option {
        case "--request": ["actions", "--request=\(value)"]
        case "--action": ["check", "--config", sample, "--user", "alice", "--action=\(value)", "--index", "sales-2024"]
        case "--index": ["check", "--config", sample, "--user", "alice", "--action", "indices:data/read/search", "--index=\(value)"]
        default: ["check", "--config", sample, "--user", "alice", "--action", "indices:data/read/search", "--index", "sales-2024", "\(seed.option)=\(value)"]
        }
        return ContractRun(arguments: command + formatArguments, output: output, origin: .argument)
    }
}
