/// A picture in a terminal graphics protocol: the bytes that draw it from the cursor's cell.
public struct TerminalGraphic: Sendable, Hashable {
    public var protocolName: GraphicsProtocol
    public var bytes: [UInt8]

    public init(protocolName: GraphicsProtocol, bytes: [UInt8]) {
        self.protocolName = protocolName
        self.bytes = bytes
    }
}
