#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The command line as the bytes the kernel passed, for arguments that are not valid UTF-8.
///
/// `CommandLine.arguments` (and so ArgumentParser) repairs invalid UTF-8, replacing each bad
/// sequence with U+FFFD: a Latin-1 file name arrives as a different name. The raw bytes are
/// still in `CommandLine.unsafeArgv`; this finds which raw argument a parsed one came from.
public enum RawArguments {
    /// Every argument after the program name, as bytes.
    public static func current() -> [[UInt8]] {
        (1..<Int(CommandLine.argc)).compactMap { index in
            CommandLine.unsafeArgv[index].map { argument in
                Array(UnsafeBufferPointer(start: argument, count: strlen(argument))).map { UInt8(bitPattern: $0) }
            }
        }
    }

    /// For each of `parsed` (in command-line order), the raw argument it was decoded from when
    /// that raw argument is not valid UTF-8; nil for arguments that arrived intact. Raw
    /// arguments are matched in order, so two names that decode alike each get their own bytes.
    public static func originals(of parsed: [String], in raw: [[UInt8]]) -> [[UInt8]?] {
        var next = 0
        return parsed.map { argument in
            guard argument.unicodeScalars.contains("\u{FFFD}") else { return nil }
            guard let found = raw[next...].firstIndex(where: { bytes in
                String(validating: bytes, as: UTF8.self) == nil && String(decoding: bytes, as: UTF8.self) == argument
            }) else { return nil }
            next = found + 1
            return raw[found]
        }
    }
}
