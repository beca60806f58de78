/// What can go wrong turning a picture into terminal cells.
public enum FrameError: Error, Equatable, CustomStringConvertible {
    /// The cell grid asked for is empty or negative.
    case invalidGrid(width: Int, height: Int)
    /// The pixel buffer does not hold the image its geometry describes; caught in Swift
    /// because chafa would read past its end.
    case invalidImage(String)

    public var description: String {
        switch self {
        case .invalidGrid(let width, let height): "cannot render into \(width)x\(height) cells"
        case .invalidImage(let reason): "invalid image: \(reason)"
        }
    }
}
