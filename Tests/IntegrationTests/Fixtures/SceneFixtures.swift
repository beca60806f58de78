import Foundation

/// Videos with known scene boundaries, made at test time with the ffmpeg CLI: shots of
/// clearly different content joined by hard cuts, a cross-dissolve and a fade through black.
enum SceneFixtures {
    /// Shot sources (lavfi) that differ from one another in colour and structure.
    static let shots = [
        "testsrc2=size=640x360:rate=25",
        "smptehdbars=size=640x360:rate=25",
        "mandelbrot=size=640x360:rate=25",
        "life=size=640x360:rate=25:mold=10:ratio=0.3:death_color=#203040:life_color=#e0a000",
        "rgbtestsrc=size=640x360:rate=25,hue=h=90",
        "cellauto=size=640x360:rate=25:rule=110,negate",
    ]

    /// `count` shots of `seconds` each (25 fps, 640×360, H.264), joined by hard cuts: the
    /// cuts are at frames seconds×25, 2×seconds×25, …
    @discardableResult
    static func hardCuts(at output: URL, count: Int, seconds: Int, allIntra: Bool = false) throws -> URL {
        precondition(count <= shots.count)
        var arguments: [String] = []
        for shot in shots.prefix(count) { arguments += ["-f", "lavfi", "-t", String(seconds), "-i", shot] }
        let inputs = (0..<count).map { "[\($0):v]format=yuv420p,setsar=1[s\($0)]" }.joined(separator: ";")
        let joined = (0..<count).map { "[s\($0)]" }.joined()
        arguments += ["-filter_complex", "\(inputs);\(joined)concat=n=\(count):v=1:a=0[v]", "-map", "[v]",
                      "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p"]
        if allIntra { arguments += ["-g", "1"] }
        try VideoFixtures.run(arguments + [output.path])
        return output
    }

    /// Three 2-second shots at `rate` ("30000/1001"), 320×180, joined by hard cuts, in MP4; with
    /// a 440 Hz tone when `audio`, and a start timecode (a tmcd track) when `timecode` is given.
    @discardableResult
    static func timelineSource(at output: URL, rate: String, timecode: String?, audio: Bool) throws -> URL {
        var arguments: [String] = []
        let chosen = [shots[0], shots[2], shots[4]].map {
            $0.replacingOccurrences(of: "rate=25", with: "rate=\(rate)").replacingOccurrences(of: "640x360", with: "320x180")
        }
        for shot in chosen { arguments += ["-f", "lavfi", "-t", "2", "-i", shot] }
        if audio { arguments += ["-f", "lavfi", "-t", "6", "-i", "sine=frequency=440:sample_rate=48000"] }
        let inputs = (0..<3).map { "[\($0):v]format=yuv420p,setsar=1[s\($0)]" }.joined(separator: ";")
        arguments += ["-filter_complex", "\(inputs);[s0][s1][s2]concat=n=3:v=1:a=0[v]", "-map", "[v]",
                      "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p"]
        if audio { arguments += ["-map", "3:a", "-c:a", "aac", "-shortest"] }
        if let timecode { arguments += ["-timecode", timecode] }
        try VideoFixtures.run(arguments + [output.path])
        return output
    }

    /// Four 2-second shots joined by hard cuts (frames 50, 100, 150): testsrc2, mandelbrot, life,
    /// and testsrc2 again as a near-duplicate — its first two seconds encoded apart at low
    /// quality (CRF 38), zoomed in by 8 % (cropped and scaled back), then encoded with the rest.
    @discardableResult
    static func repeatedShot(at output: URL) throws -> URL {
        let copy = output.deletingLastPathComponent().appendingPathComponent("copy-\(UUID().uuidString.prefix(6)).mp4")
        defer { try? FileManager.default.removeItem(at: copy) }
        try VideoFixtures.run(["-f", "lavfi", "-t", "2", "-i", shots[0], "-c:v", "libx264", "-preset", "veryfast", "-crf", "38",
                               "-pix_fmt", "yuv420p", copy.path])
        var arguments: [String] = []
        for shot in [shots[0], shots[2], shots[3]] { arguments += ["-f", "lavfi", "-t", "2", "-i", shot] }
        arguments += ["-i", copy.path]
        let filter = """
            [0:v]format=yuv420p,setsar=1[a];[1:v]format=yuv420p,setsar=1[b];[2:v]format=yuv420p,setsar=1[c];\
            [3:v]crop=iw*0.92:ih*0.92,scale=640:360,format=yuv420p,setsar=1[d];[a][b][c][d]concat=n=4:v=1:a=0[v]
            """
        try VideoFixtures.run(arguments + ["-filter_complex", filter, "-map", "[v]", "-c:v", "libx264", "-preset", "veryfast",
                                           "-pix_fmt", "yuv420p", output.path])
        return output
    }

    /// Four 3-second shots: testsrc2, a 15-frame dissolve into smptehdbars (frames 60–74), a
    /// fade through black into life (20 frames from 125), a hard cut to rgbtestsrc at frame 200.
    /// 275 frames at 25 fps.
    static let mixedTruth = (dissolve: 60...74, fade: 125...144, cut: 200, frames: 275)

    @discardableResult
    static func mixed(at output: URL) throws -> URL {
        var arguments: [String] = []
        for shot in [0, 1, 3, 4] { arguments += ["-f", "lavfi", "-t", "3", "-i", shots[shot]] }
        let filter = """
            [0:v]format=yuv420p,setsar=1[a];[1:v]format=yuv420p,setsar=1[b];[2:v]format=yuv420p,setsar=1[c];\
            [3:v]format=yuv420p,setsar=1[d];[a][b]xfade=transition=fade:duration=0.6:offset=2.4[ab];\
            [ab][c]xfade=transition=fadeblack:duration=0.8:offset=5.0[abc];[abc][d]concat=n=2:v=1:a=0[v]
            """
        try VideoFixtures.run(arguments + ["-filter_complex", filter, "-map", "[v]", "-c:v", "libx264", "-preset", "veryfast",
                                           "-g", "1", "-pix_fmt", "yuv420p", output.path])
        return output
    }
}
