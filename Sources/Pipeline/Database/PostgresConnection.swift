import CLibPQ
import Foundation

/// One libpq connection. Every statement is sent with bound parameters (`$1`, `$2`, …);
/// the only SQL sent without them is constant text (`runScript` takes a `StaticString`).
///
/// Calls block the calling thread, so use it from background threads, never the TUI's
/// main thread. A lock serialises calls, which makes sharing it safe but not concurrent:
/// give each worker its own connection. After the server restarts, the next call
/// reconnects (and renews LISTENs); the call that saw the connection drop throws
/// a `.connection` error, because only the caller knows whether retrying is safe.
public final class PostgresConnection: @unchecked Sendable {
    private let conninfo: String
    private var handle: OpaquePointer?
    private let lock = NSRecursiveLock()
    private var channels: Set<String> = []
    /// While > 0 the session holds state a new connection would not have (an open
    /// transaction, an advisory lock): a lost connection must then fail, never reconnect.
    private var pinned = 0

    /// Connects at once; `conninfo` is a libpq keyword string or a `postgresql://` URI.
    public init(conninfo: String) throws {
        self.conninfo = conninfo
        try lock.withLock { try connectLocked() }
    }

    deinit {
        if let handle { PQfinish(handle) }
    }

    /// Whether the connection is currently up (no round trip).
    public var isConnected: Bool {
        lock.withLock { handle.map { PQstatus($0) == CONNECTION_OK } ?? false }
    }

    /// The server's version number, e.g. 180006.
    public var serverVersion: Int {
        lock.withLock { handle.map { Int(PQserverVersion($0)) } ?? 0 }
    }

    /// Runs one statement with bound parameters and returns its rows. Internal: SQL is
    /// written only in this module, behind named queries (tests reach it with @testable).
    @discardableResult
    func query(_ sql: String, _ parameters: [any PostgresEncodable] = []) throws -> PostgresRows {
        try lock.withLock {
            let h = try liveHandle()
            let texts = parameters.map { $0.postgresText }
            let copies: [UnsafeMutablePointer<CChar>?] = texts.map { $0.flatMap { strdup($0) } }
            defer { copies.forEach { free($0) } }
            let result: OpaquePointer? = copies.withUnsafeBufferPointer { buffer in
                buffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: max(buffer.count, 1)) { values in
                    PQexecParams(h, sql, Int32(texts.count), nil, texts.isEmpty ? nil : values, nil, nil, 0)
                }
            }
            return try consume(result, on: h)
        }
    }

    /// Runs one statement and returns the number of rows it affected.
    @discardableResult
    func execute(_ sql: String, _ parameters: [any PostgresEncodable] = []) throws -> Int {
        try query(sql, parameters).affectedRows
    }

    /// Runs constant SQL text that may hold several statements (migrations). It takes a
    /// `StaticString` so that no runtime value can ever be spliced into it.
    func runScript(_ sql: StaticString) throws {
        try lock.withLock {
            let h = try liveHandle()
            let text = sql.withUTF8Buffer { String(decoding: $0, as: UTF8.self) }
            _ = try consume(PQexec(h, text), on: h)
        }
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    public func transaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try lock.withLock {
            try execute("BEGIN")
            pinned += 1
            defer { pinned -= 1 }
            do {
                let value = try body(self)
                try execute("COMMIT")
                return value
            } catch {
                if isConnected { _ = try? execute("ROLLBACK") }
                throw error
            }
        }
    }

    /// Runs `body` with reconnection disabled, for work that relies on session state such as
    /// an advisory lock: if the connection drops, the calls fail instead of silently
    /// continuing on a new session without that state.
    public func pinningSession<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try lock.withLock {
            pinned += 1
            defer { pinned -= 1 }
            return try body(self)
        }
    }

    /// Subscribes to a NOTIFY channel; kept across reconnects.
    public func listen(_ channel: String) throws {
        let name = try Self.validChannel(channel)
        try lock.withLock {
            try execute("LISTEN \(name)")
            channels.insert(name)
        }
    }

    /// Sends a NOTIFY with a bound payload.
    public func notify(_ channel: String, payload: String = "") throws {
        let name = try Self.validChannel(channel)
        try execute("SELECT pg_notify($1, $2)", [name, payload])
    }

    /// Waits up to `timeout` for notifications on the LISTENed channels; returns those that
    /// arrived (possibly none). Throws a `.connection` error when the connection drops.
    /// Holds the connection's lock while it waits, so the handle cannot be replaced under it.
    public func waitForNotifications(timeout: Duration) throws -> [PostgresNotification] {
        try lock.withLock {
            let h = try liveHandle()
            let pending = try drainNotifications(h)
            if !pending.isEmpty { return pending }
            var fds = pollfd(fd: PQsocket(h), events: Int16(POLLIN), revents: 0)
            let seconds = min(max(timeout.components.seconds, 0), 86_400)
            let millis = Int32(seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
            let ready = poll(&fds, 1, millis)
            if ready < 0 && errno != EINTR {
                throw DatabaseError(.connection, "waiting for notifications failed: \(String(cString: strerror(errno)))")
            }
            if PQconsumeInput(h) == 0 { throw connectionError(h, "the database connection was lost") }
            return try drainNotifications(h)
        }
    }

    /// Drops the current connection and connects again, retrying with growing pauses until
    /// `timeout` has passed (the server may be restarting).
    public func reconnect(timeout: Duration = .seconds(30)) throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var pause = Duration.milliseconds(100)
        while true {
            do {
                try lock.withLock {
                    if let handle { PQfinish(handle) }
                    handle = nil
                    try connectLocked()
                }
                return
            } catch let error as DatabaseError where error.kind == .connection && clock.now < deadline {
                Thread.sleep(forTimeInterval: Double(pause.components.seconds) + Double(pause.components.attoseconds) / 1e18)
                pause = min(pause * 2, .seconds(2))
            }
        }
    }

    // MARK: - Internals (the lock is held)

    private func connectLocked() throws {
        // A default connect_timeout first; the caller's string (expanded from dbname) comes
        // after it and so overrides it when it sets one.
        // TCP keepalives too, so a half-open connection to a vanished server is noticed.
        let keywords = ["connect_timeout", "keepalives", "keepalives_idle", "keepalives_interval", "keepalives_count", "dbname"]
        let values = ["10", "1", "30", "10", "3", conninfo]
        let h = Self.withCStrings(keywords) { k in Self.withCStrings(values) { v in PQconnectdbParams(k, v, 1) } }
        guard let h else {
            throw DatabaseError(.connection, "could not allocate a libpq connection")
        }
        guard PQstatus(h) == CONNECTION_OK else {
            let error = connectionError(h, "could not connect to Postgres")
            PQfinish(h)
            throw error
        }
        // Notices (e.g. "extension already exists, skipping") would otherwise be printed to
        // stderr by libpq, over the TUI; nothing in heaters acts on them.
        PQsetNoticeReceiver(h, { _, _ in }, nil)
        // Decoding relies on ISO dates, whatever PGDATESTYLE or the server default says.
        if let result = PQexec(h, "SET DateStyle = 'ISO, MDY'") { PQclear(result) }
        handle = h
        for channel in channels {
            _ = try consume(PQexec(h, "LISTEN \(channel)"), on: h)
        }
    }

    /// The connection, reconnected first if the server went away since the last call.
    private func liveHandle() throws -> OpaquePointer {
        if let h = handle, PQstatus(h) == CONNECTION_OK { return h }
        if pinned > 0 {
            throw DatabaseError(.connection, "the database connection was lost inside a transaction or session lock; its work was not committed")
        }
        if let h = handle { PQfinish(h) }
        handle = nil
        try connectLocked()
        return handle!
    }

    private func consume(_ result: OpaquePointer?, on h: OpaquePointer) throws -> PostgresRows {
        guard let result else { throw connectionError(h, "the database connection was lost") }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return Self.copyRows(result)
        default:
            if PQstatus(h) != CONNECTION_OK { throw connectionError(h, "the database connection was lost") }
            func field(_ code: Character) -> String? {
                PQresultErrorField(result, Int32(code.asciiValue!)).map { String(cString: $0) }
            }
            let message = field("M") ?? String(cString: PQresultErrorMessage(result))
            throw DatabaseError(.query, message.trimmingCharacters(in: .whitespacesAndNewlines),
                                sqlState: field("C"), detail: field("D"), hint: field("H"))
        }
    }

    private func connectionError(_ h: OpaquePointer, _ what: String) -> DatabaseError {
        let reason = String(cString: PQerrorMessage(h)).trimmingCharacters(in: .whitespacesAndNewlines)
        return DatabaseError(.connection, reason.isEmpty ? what : "\(what): \(reason)")
    }

    private func drainNotifications(_ h: OpaquePointer) throws -> [PostgresNotification] {
        var out: [PostgresNotification] = []
        while let n = PQnotifies(h) {
            out.append(PostgresNotification(channel: String(cString: n.pointee.relname),
                                            payload: String(cString: n.pointee.extra),
                                            senderPID: n.pointee.be_pid))
            PQfreemem(n)
        }
        return out
    }

    private static func copyRows(_ result: OpaquePointer) -> PostgresRows {
        let nColumns = PQnfields(result)
        let nRows = PQntuples(result)
        let columns = (0..<nColumns).map { String(cString: PQfname(result, $0)) }
        var values: [[String?]] = []
        values.reserveCapacity(Int(nRows))
        for r in 0..<nRows {
            values.append((0..<nColumns).map { c in
                PQgetisnull(result, r, c) == 1 ? nil : String(cString: PQgetvalue(result, r, c))
            })
        }
        let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
        return PostgresRows(columns: columns, values: values, affectedRows: affected)
    }

    /// A NULL-terminated array of C strings for libpq's keyword/value calls.
    private static func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        let copies: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) } + [nil]
        defer { copies.forEach { free($0) } }
        return copies.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: buffer.count) { body($0) }
        }
    }

    /// Channel names go into LISTEN as identifiers (they cannot be bound), so only plain
    /// lower-case identifiers are accepted.
    static func validChannel(_ channel: String) throws -> String {
        let ok = !channel.isEmpty && channel.count <= 63
            && channel.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }
            && !(channel.first!.isNumber)
        guard ok else { throw DatabaseError(.query, "invalid notification channel name: \(channel)") }
        return channel
    }
}
