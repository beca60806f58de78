/// L2 normalisation shared by the built-in descriptor and model embeddings, so every vector
/// heaters stores is unit length by the same rule.
enum UnitVector {
    /// `values` scaled to unit length; all zeros when the norm is zero or not finite.
    static func normalised(_ values: [Double]) -> [Float] {
        let norm = values.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0, norm.isFinite else { return [Float](repeating: 0, count: values.count) }
        return values.map { Float($0 / norm) }
    }

    static func normalised(_ values: [Float]) -> [Float] {
        normalised(values.map(Double.init))
    }
}
