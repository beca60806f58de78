/// How one frame compares with its neighbours: what every scene detector reads. Values are
/// on a 0…255 scale (mean absolute difference of 8-bit values) unless said otherwise; the
/// first frame's comparisons with "the previous frame" are 0.
public struct FrameFeatures: Sendable, Equatable, Codable {
    /// A comparison of the frames `halfWidth` before and after this one.
    public struct Window: Sendable, Equatable, Codable {
        public var halfWidth: Int
        /// Thumbnail distance between frame − w and frame + w: how much changed across it.
        public var change: Double
        /// Distance of this frame's thumbnail from the mean of those two: 0 when this frame
        /// is exactly halfway through a linear blend (a dissolve), about change/2 at a cut.
        public var residual: Double

        public init(halfWidth: Int, change: Double, residual: Double) {
            self.halfWidth = halfWidth
            self.change = change
            self.residual = residual
        }
    }

    public var frame: Int
    /// Mean |Δ| of hue (OpenCV's 0…180), saturation and value against the previous frame.
    public var hueDelta: Double
    public var saturationDelta: Double
    public var valueDelta: Double
    /// Mean |Δ| of the dilated edge masks (0 or 255 per pixel) against the previous frame.
    public var edgeDelta: Double
    /// 1 − intersection of the H, S and V histograms with the previous frame's (0…1).
    public var histogramDistance: Double
    /// Differing bits of the 64-bit perceptual hashes, over 64 (0…1).
    public var hashDistance: Double
    /// Mean of all B, G and R values: 0 is black.
    public var intensity: Double
    /// Thumbnail distance to the previous frame.
    public var stepDistance: Double
    /// Smallest thumbnail distance between any of the four frames before this one and any
    /// of the four from it on: large at a real cut, small when a flash (or a single bad
    /// frame) begins or ends here, because the picture comes back. Nil for the first frame.
    public var crossDistance: Double?
    /// The windows that fit inside the video, smallest first.
    public var windows: [Window]

    public init(frame: Int, hueDelta: Double = 0, saturationDelta: Double = 0, valueDelta: Double = 0,
                edgeDelta: Double = 0, histogramDistance: Double = 0, hashDistance: Double = 0, intensity: Double = 128,
                stepDistance: Double = 0, crossDistance: Double? = nil, windows: [Window] = []) {
        self.frame = frame
        self.hueDelta = hueDelta
        self.saturationDelta = saturationDelta
        self.valueDelta = valueDelta
        self.edgeDelta = edgeDelta
        self.histogramDistance = histogramDistance
        self.hashDistance = hashDistance
        self.intensity = intensity
        self.stepDistance = stepDistance
        self.crossDistance = crossDistance
        self.windows = windows
    }

    /// PySceneDetect's content score with its default weights: the mean of the hue,
    /// saturation and value deltas.
    public var hsvScore: Double { (hueDelta + saturationDelta + valueDelta) / 3 }
}
