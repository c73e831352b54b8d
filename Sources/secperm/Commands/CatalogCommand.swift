import Analyzer
import ArgumentParser
import PermissionCatalog

extension PermissionKind: ExpressibleByArgument {}

struct CatalogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "List the permissions, built-in action groups, roles and tenants of a plugin release.",
        discussion: """
            Examples:
              secperm catalog                                  every permission of opensearch-3
              secperm catalog --kind restapi --target opensearch-2.19
              secperm catalog --target lucenia --format json   names use the 'lucenia' vendor segment

            CHECKED AS tells whether the plugin checks an action against cluster_permissions (cluster) or index_permissions (index) in that release; 'pattern' marks documented wildcard names.
            """)

    @Option(name: .long, help: "Only this kind: cluster, index, restapi, system or tenant.")
    var kind: PermissionKind?

    @OptionGroup var target: TargetOption
    @OptionGroup var output: FormatOption

    func run() throws {
        let report = CatalogReport(catalog: Catalog(profile: target.target), kind: kind)
        emit(output.format == .json ? report.json() : report.text())
    }
}
