import Analyzer
import ArgumentParser
import PermissionCatalog

struct ExpandCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "expand",
        abstract: "Show the concrete actions that permission patterns and action groups grant.",
        discussion: """
            Each input is what you would write in allowed_actions: an action name, a pattern (indices:data/read/*, /regex/) or an action group. Groups are resolved by exact name through every nested group, as the plugin does; the built-in groups of --target are always known, and --config adds the custom ones of a configuration.

            Examples:
              secperm expand read
              secperm expand manage_snapshots 'indices:admin/aliases*' --format json
              secperm expand my_custom_group --config ./securityconfig
            """)

    @Argument(help: "Permission names, patterns or action group names.")
    var inputs: [String]

    @OptionGroup var configOption: ConfigOption
    @OptionGroup var target: TargetOption
    @OptionGroup var output: FormatOption

    func validate() throws {
        if inputs.isEmpty { throw ValidationError("give at least one permission, pattern or action group, e.g. `secperm expand read`") }
    }

    func run() throws {
        let catalog = Catalog(profile: target.target)
        let config = try configOption.load(profile: target.target)
        let expansion = ActionExpander(catalog: catalog, config: config).expand(inputs)
        let report = ExpansionReport(target: target.target.name, expansion: expansion)
        emit(output.format == .json ? report.json() : report.text())
    }
}
