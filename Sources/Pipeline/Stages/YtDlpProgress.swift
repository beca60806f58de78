import Foundation

/// Reads yt-dlp's progress lines, printed by `--progress-template "download:heaters-progress
/// %(progress._percent_str)s"` (one per line with `--newline`), e.g. "heaters-progress  42.3%".
enum YtDlpProgress {
    static func fraction(_ line: String) -> Double? {
        guard let range = line.range(of: "heaters-progress") else { return nil }
        let rest = line[range.upperBound...].trimmingCharacters(in: .whitespaces)
        guard rest.hasSuffix("%"), let percent = Double(rest.dropLast().trimmingCharacters(in: .whitespaces)) else { return nil }
        return min(max(percent / 100, 0), 1)
    }
}
