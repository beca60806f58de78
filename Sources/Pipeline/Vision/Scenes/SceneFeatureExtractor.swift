import COpenCVShim

/// Turns a video's small BGR frames, in order, into `FrameFeatures` (through the OpenCV
/// shim). A frame's window features need the frames after it, so features come out a few
/// frames late; `finish()` returns the rest.
final class SceneFeatureExtractor {
    private let analyzer: OpaquePointer
    let width: Int
    let height: Int

    /// Window half-widths, in frames as pushed, ascending (`HCV_SCENE_WINDOWS` of them).
    let halfWidths: [Int]

    /// The windows of a pass over every frame: 3, 6, 9 and 12 frames each way.
    static let everyFrameHalfWidths = [3, 6, 9, 12]

    /// The same spans in frames when only every `stride`-th frame is pushed (at least one
    /// analysed frame each, still ascending).
    static func halfWidths(stride: Int) -> [Int] {
        var widths: [Int] = []
        for frames in everyFrameHalfWidths {
            widths.append(max((widths.last ?? 0) + 1, Int((Double(frames) / Double(max(stride, 1))).rounded())))
        }
        return widths
    }

    init(width: Int, height: Int, halfWidths: [Int] = everyFrameHalfWidths) throws(VisionError) {
        guard halfWidths.count == Int(HCV_SCENE_WINDOWS) else {
            throw .opencv(operation: "hcv_scene_analyzer_create", message: "\(HCV_SCENE_WINDOWS) window half-widths are needed")
        }
        var made: OpaquePointer?
        let widths = halfWidths.map { Int32(clamping: $0) }
        try VisionError.throwIfFail("hcv_scene_analyzer_create") { error, size in
            made = widths.withUnsafeBufferPointer {
                hcv_scene_analyzer_create(Int32(clamping: width), Int32(clamping: height), $0.baseAddress, error, size)
            }
            return made == nil ? -1 : 0
        }
        self.halfWidths = halfWidths
        analyzer = made!
        self.width = width
        self.height = height
    }

    deinit { hcv_scene_analyzer_destroy(analyzer) }

    /// Adds the next frame (`width × height × 3` bytes, rows packed); returns the features
    /// of an earlier frame once they are complete.
    func push(_ bgr: [UInt8]) throws(VisionError) -> FrameFeatures? {
        guard bgr.count >= width * height * 3 else { throw .bufferTooSmall(needed: width * height * 3, actual: bgr.count) }
        var record = hcv_scene_frame()
        var written: Int32 = 0
        try VisionError.throwIfFail("hcv_scene_analyzer_push") { error, size in
            written = bgr.withUnsafeBufferPointer { pixels in
                hcv_scene_analyzer_push(analyzer, pixels.baseAddress, Int32(width * 3), &record, error, size)
            }
            return written < 0 ? -1 : 0
        }
        return written == 1 ? features(record) : nil
    }

    /// The features still held back, after the last frame.
    func finish() throws(VisionError) -> [FrameFeatures] {
        var records = [hcv_scene_frame](repeating: hcv_scene_frame(), count: 64)
        var written: Int32 = 0
        try VisionError.throwIfFail("hcv_scene_analyzer_finish") { error, size in
            written = records.withUnsafeMutableBufferPointer {
                hcv_scene_analyzer_finish(analyzer, $0.baseAddress, Int32($0.count), error, size)
            }
            return written < 0 ? -1 : 0
        }
        return records.prefix(Int(written)).map(features)
    }

    private func features(_ r: hcv_scene_frame) -> FrameFeatures {
        let changes = withUnsafeBytes(of: r.window_change) { Array($0.bindMemory(to: Double.self)) }
        let residuals = withUnsafeBytes(of: r.window_residual) { Array($0.bindMemory(to: Double.self)) }
        let windows = (0..<Int(HCV_SCENE_WINDOWS)).compactMap { i -> FrameFeatures.Window? in
            changes[i] < 0 ? nil : FrameFeatures.Window(halfWidth: halfWidths[i], change: changes[i], residual: residuals[i])
        }
        func previous(_ value: Double) -> Double { max(value, 0) }
        return FrameFeatures(
            frame: Int(r.frame), hueDelta: previous(r.hsv_delta.0), saturationDelta: previous(r.hsv_delta.1),
            valueDelta: previous(r.hsv_delta.2), edgeDelta: previous(r.edge_delta),
            histogramDistance: previous(r.histogram_distance), hashDistance: previous(r.hash_distance),
            intensity: r.intensity, stepDistance: previous(r.step_distance),
            crossDistance: r.cross_distance < 0 ? nil : r.cross_distance, windows: windows)
    }
}
