/// A decision or undo that changed nothing, and why, phrased for the reviewer.
public struct ReviewError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
