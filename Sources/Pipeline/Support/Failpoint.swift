#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Named places where a test can make the process die on the spot (`kill -9` of itself), to
/// prove that a crash exactly there loses nothing: `HEATERS_FAILPOINT=review-land` kills a
/// worker inside the transaction that lands a merge or split. Unset, a failpoint does nothing.
public enum Failpoint {
    public static func hit(_ name: String) {
        guard ProcessInfo.processInfo.environment["HEATERS_FAILPOINT"] == name else { return }
        kill(getpid(), SIGKILL)
    }
}
