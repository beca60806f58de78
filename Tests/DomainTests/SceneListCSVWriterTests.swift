import Testing
@testable import Domain

/// The timeline as PySceneDetect 0.7.2's list-scenes CSV. Expected text is what its CLI and
/// its `write_scene_list` printed for the same scenes (checked by hand against 0.7.2).
@Suite struct SceneListCSVWriterTests {
    static let ntsc = FrameRate(numerator: 30000, denominator: 1001)!

    /// Clips of the source `[start, end)`, butted on the timeline, each its own exported file
    /// (so `sourceIn` is 0 and `recordStart` is not the source frame: the CSV must not use them).
    static func timeline(_ scenes: [(Int, Int)], rate: FrameRate = ntsc) -> Timeline {
        var record = 0
        let clips = scenes.enumerated().map { index, scene in
            defer { record += scene.1 - scene.0 }
            let media = TimelineMedia(url: "s3://b/clips/\(index)/h264.mp4", name: "h264.mp4", startFrame: 0,
                                      frameCount: scene.1 - scene.0, width: 1, height: 1, hasAudio: false)
            return TimelineClip(clipID: Int64(index + 1), sourceStart: scene.0, sourceEnd: scene.1, media: media,
                                sourceIn: 0, sourceOut: scene.1 - scene.0, recordStart: record,
                                state: "exported", groupID: nil, tags: [], marked: false)
        }
        return Timeline(name: "t", rate: rate, dropFrame: false, clips: clips, hasAudio: false, keepsGaps: false)
    }

    @Test func headerAndRowsAreExactlyPySceneDetects() {
        #expect(SceneListCSVWriter.render(Self.timeline([(0, 150), (150, 600)])) == """
            Timecode List:,00:00:05.005
            Scene Number,Start Frame,Start Timecode,Start Time (seconds),End Frame,End Timecode,End Time (seconds),\
            Length (frames),Length (timecode),Length (seconds)
            1,1,00:00:00.000,0.000,150,00:00:05.005,5.005,150,00:00:05.005,5.005
            2,151,00:00:05.005,5.005,600,00:00:20.020,20.020,450,00:00:15.015,15.015

            """)
    }

    /// Rows are the scenes in the source, whatever the clip's place on the timeline or its file.
    @Test func rowsAreSourceFramesNumberedFromOne() {
        let lines = SceneListCSVWriter.render(Self.timeline([(250, 300), (1000, 1025)], rate: FrameRate(numerator: 25, denominator: 1)!))
            .split(separator: "\n").map(String.init)
        #expect(lines == [
            "Timecode List:,00:00:40.000",
            SceneListCSVWriter.header,
            "1,251,00:00:10.000,10.000,300,00:00:12.000,12.000,50,00:00:02.000,2.000",
            "2,1001,00:00:40.000,40.000,1025,00:00:41.000,41.000,25,00:00:01.000,1.000",
        ])
    }

    /// With no cut PySceneDetect's CLI writes an empty first row; its load-scenes skips it.
    @Test func oneSceneHasAnEmptyCutRow() {
        #expect(SceneListCSVWriter.render(Self.timeline([(0, 600)])).hasPrefix("\n" + SceneListCSVWriter.header + "\n1,1,"))
    }

    @Test func noClipsIsTheHeaderAlone() {
        #expect(SceneListCSVWriter.render(Self.timeline([])) == "\n" + SceneListCSVWriter.header + "\n")
    }

    /// Python floats, digit for digit: the seconds column is frame × den / num rounded once,
    /// the timecode frame / (num / den) rounded twice, so exact ties (0.5005 s) fall apart.
    @Test(arguments: [(30000, 1001, 15, "00:00:00.501", "0.500"), (24000, 1001, 1500, "00:01:02.562", "62.562"),
                      (30000, 1001, 1799, "00:01:00.027", "60.027"), (30000, 1001, 107_892, "00:59:59.996", "3599.996"),
                      (60000, 1001, 215_784, "00:59:59.996", "3599.996"), (24000, 1001, 2_589_408, "29:59:59.892", "107999.892"),
                      (25, 1, 1500, "00:01:00.000", "60.000"), (25, 1, 2_589_408, "28:46:16.320", "103576.320"),
                      (120000, 1001, 35964, "00:05:00.000", "300.000")])
    func timesMatchPySceneDetect(numerator: Int, denominator: Int, frame: Int, timecode: String, seconds: String) {
        let rate = FrameRate(numerator: numerator, denominator: denominator)!
        #expect(SceneDetectTime.timecode(frame, rate) == timecode)
        #expect(SceneDetectTime.seconds(frame, rate) == seconds)
    }

    @Test func thousandthsRoundHalfToEvenOnTheFloat() {
        #expect(SceneDetectTime.thousandths(0.0625) == 62, "an exact binary tie goes to even")
        #expect(SceneDetectTime.thousandths(0.1875) == 188)
        #expect(SceneDetectTime.thousandths(0.5005) == 500, "0.5005 is stored just below the tie")
        #expect(SceneDetectTime.thousandths(1.0005) == 1000 && SceneDetectTime.thousandths(2.0005) == 2001, "1.0005 is stored just below the tie, 2.0005 just above")
        #expect(SceneDetectTime.thousandths(0) == 0 && SceneDetectTime.thousandths(0.0004) == 0)
        #expect(SceneDetectTime.thousandths(123_456.7894) == 123_456_789)
    }
}
