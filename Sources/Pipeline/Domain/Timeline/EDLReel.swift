/// Reel names for an EDL's media: one per file, distinct, at most 8 ASCII letters and digits
/// (CMX 3600's fixed reel column; a space would end the field for every reader, OTIO's
/// included). Conform tools group events by reel, so two files never share one.
enum EDLReel {
    static let maximumLength = 8
    /// Reels readers take for generated sources (black, bars) or for "unknown", never a file.
    static let reserved: Set<String> = ["BL", "BLK", "BLACK", "BARS", "AX"]

    /// The reel of each media URL. A file's reel is its name without the extension, reduced
    /// to letters and digits and cut to 8; when that is empty, reserved, or the same as
    /// another file's, it is numbered instead (the media's place in `media`, from 1, padded to
    /// the width of the count): three exported clips, all named `h264.mp4`, become H2641,
    /// H2642, H2643; a thousand become H2640001 … H2641000.
    static func names(for media: [TimelineMedia]) -> [String: String] {
        let stems = media.map { stem(of: $0.name) }
        var stemCount: [String: Int] = [:]
        for stem in stems { stemCount[stem, default: 0] += 1 }
        let digits = String(media.count).count
        var taken = Set<String>()
        var names: [String: String] = [:]
        for (index, file) in media.enumerated() where names[file.url] == nil {
            let stem = stems[index]
            var candidate = stem
            var number = index + 1
            if stem.isEmpty || reserved.contains(stem) || stemCount[stem, default: 0] > 1 || taken.contains(stem) {
                candidate = numbered(stem, number, digits: digits)
            }
            // A file whose own name looks like another's number (CLIP0002) moves on to a free one.
            while taken.contains(candidate) {
                number += media.count
                candidate = numbered(stem, number, digits: digits)
            }
            taken.insert(candidate)
            names[file.url] = candidate
        }
        return names
    }

    /// "My clip (2).mov" → "MYCLIP2": ASCII letters and digits of the name before its last
    /// extension, upper-cased (case-blind readers would otherwise merge "a" and "A").
    static func stem(of fileName: String) -> String {
        let base = fileName.split(separator: "/").last.map(String.init) ?? fileName
        let withoutExtension = base.lastIndex(of: ".").map { base[..<$0] }.flatMap { $0.isEmpty ? nil : String($0) } ?? base
        let kept = withoutExtension.unicodeScalars.filter { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
        return String(String.UnicodeScalarView(kept.prefix(maximumLength))).uppercased()
    }

    private static func numbered(_ stem: String, _ number: Int, digits: Int) -> String {
        let digitsText = String(number)
        let padded = String(repeating: "0", count: max(0, digits - digitsText.count)) + digitsText
        let prefix = stem.isEmpty ? "R" : stem
        return String(prefix.prefix(max(0, maximumLength - padded.count))) + padded
    }
}
