/// SMPTE timecode (hh:mm:ss:ff) of a frame count at a rate, as EDLs and editors show it.
/// Drop-frame (29.97 and 59.94 only) skips frame numbers 0 and 1 (0–3 at 59.94) at the start
/// of every minute except each tenth, so that the timecode keeps to the wall clock; it is
/// written with `;` before the frames. Non-drop timecode at an NTSC rate counts whole frames
/// of the rounded rate (so it runs 0.1 % slow against the clock), as every editor does.
public struct SMPTETimecode: Sendable, Hashable {
    public let rate: FrameRate
    public let dropFrame: Bool

    /// nil when drop-frame is asked for at a rate that has none.
    public init?(rate: FrameRate, dropFrame: Bool) {
        guard !dropFrame || rate.allowsDropFrame else { return nil }
        self.rate = rate
        self.dropFrame = dropFrame
    }

    /// Frame numbers dropped per minute: 2 at 29.97, 4 at 59.94.
    private var dropped: Int { dropFrame ? rate.timecodeBase / 15 : 0 }

    /// The timecode of frame `frame` (0 is 00:00:00:00). Counts past 24 hours go on (25:…).
    public func string(_ frame: Int) -> String {
        let base = rate.timecodeBase
        var n = max(frame, 0)
        if dropFrame {
            let perTenMinutes = base * 600 - dropped * 9
            let perMinute = base * 60 - dropped
            let tens = n / perTenMinutes
            let rest = n % perTenMinutes
            n += dropped * 9 * tens
            if rest > dropped { n += dropped * ((rest - dropped) / perMinute) }
        }
        let ff = n % base, seconds = n / base
        let ss = seconds % 60, mm = seconds / 60 % 60, hh = seconds / 3600
        return pad(hh) + ":" + pad(mm) + ":" + pad(ss) + (dropFrame ? ";" : ":") + pad(ff)
    }

    /// The frame a timecode names ("01:00:00:00", "00:59:59;29"; `;`, `:` or `.` before the
    /// frames), or nil when it is not one at this rate (a dropped number, frames ≥ the base).
    public func frame(_ text: String) -> Int? {
        let parts = text.split(whereSeparator: { $0 == ":" || $0 == ";" || $0 == "." }).map { Int($0) }
        guard parts.count == 4, let hh = parts[0], let mm = parts[1], let ss = parts[2], let ff = parts[3],
              hh >= 0, (0..<60).contains(mm), (0..<60).contains(ss), (0..<rate.timecodeBase).contains(ff) else { return nil }
        let totalMinutes = hh * 60 + mm
        if dropFrame, ss == 0, ff < dropped, mm % 10 != 0 { return nil }
        let nominal = ((hh * 3600 + mm * 60 + ss) * rate.timecodeBase) + ff
        return nominal - dropped * (totalMinutes - totalMinutes / 10)
    }

    private func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
}
