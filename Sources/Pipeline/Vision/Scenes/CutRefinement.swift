/// Where exactly a cut found on every k-th frame lies: among the frames decoded around it,
/// the one whose thumbnail differs most from its predecessor's. Thumbnails (block means,
/// like the feature pass's 32×18) so that noise and fast motion inside a shot, which move
/// single pixels a lot, do not outweigh the change of picture at the cut.
enum CutRefinement {
    static let thumbnailWidth = 32
    static let thumbnailHeight = 18

    /// `frames` holds packed BGR24 frames `first…first + frames.count − 1`, each `width` ×
    /// `height`; returns the frame after the largest thumbnail step between neighbours.
    static func largestStep(in frames: [[UInt8]], first: Int, width: Int, height: Int) -> Int {
        let thumbnails = frames.map { thumbnail($0, width: width, height: height) }
        var best = (frame: first + max(frames.count - 1, 0), distance: -1.0)
        for j in thumbnails.indices.dropFirst() {
            var distance = 0.0
            for i in thumbnails[j].indices { distance += abs(thumbnails[j][i] - thumbnails[j - 1][i]) }
            if distance > best.distance { best = (first + j, distance) }
        }
        return best.frame
    }

    /// Mean B, G and R of each cell of a `thumbnailWidth` × `thumbnailHeight` grid.
    static func thumbnail(_ bgr: [UInt8], width: Int, height: Int) -> [Double] {
        var sums = [Double](repeating: 0, count: thumbnailWidth * thumbnailHeight * 3)
        var counts = [Double](repeating: 0, count: thumbnailWidth * thumbnailHeight)
        guard bgr.count >= width * height * 3, width > 0, height > 0 else { return sums }
        for y in 0..<height {
            let cellRow = y * thumbnailHeight / height
            for x in 0..<width {
                let cell = cellRow * thumbnailWidth + x * thumbnailWidth / width
                let pixel = (y * width + x) * 3
                sums[cell * 3] += Double(bgr[pixel])
                sums[cell * 3 + 1] += Double(bgr[pixel + 1])
                sums[cell * 3 + 2] += Double(bgr[pixel + 2])
                counts[cell] += 1
            }
        }
        for cell in counts.indices where counts[cell] > 0 {
            for channel in 0..<3 { sums[cell * 3 + channel] /= counts[cell] }
        }
        return sums
    }
}
