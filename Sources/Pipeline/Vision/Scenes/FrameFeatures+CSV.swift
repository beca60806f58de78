import Foundation

/// Frame features as CSV rows, for looking at what the detectors see (`heaters detect
/// --features`). Window columns are `change_W` and `residual_W` per half-width W (those of
/// the pass, `windowHalfWidths(of:)`); empty where the window does not fit.
extension FrameFeatures {
    /// Every window half-width that occurs in `series`, ascending.
    public static func windowHalfWidths(of series: [FrameFeatures]) -> [Int] {
        Set(series.lazy.flatMap { $0.windows.map(\.halfWidth) }).sorted()
    }

    public static func csvHeader(windowHalfWidths: [Int]) -> String {
        (["frame", "hue", "saturation", "value", "hsv", "edges", "histogram", "hash", "intensity", "step", "cross"]
         + windowHalfWidths.flatMap { ["change_\($0)", "residual_\($0)"] }).joined(separator: ",")
    }

    public func csvRow(windowHalfWidths: [Int]) -> String {
        func f(_ value: Double?) -> String { value.map { String(format: "%.3f", $0) } ?? "" }
        let byWidth = Dictionary(uniqueKeysWithValues: windows.map { ($0.halfWidth, $0) })
        return ([String(frame), f(hueDelta), f(saturationDelta), f(valueDelta), f(hsvScore), f(edgeDelta),
                 f(histogramDistance), f(hashDistance), f(intensity), f(stepDistance), f(crossDistance)]
                + windowHalfWidths.flatMap { [f(byWidth[$0]?.change), f(byWidth[$0]?.residual)] }).joined(separator: ",")
    }
}
