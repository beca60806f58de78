import Testing
import Domain

/// The FCP 7 XML writer: frames at an NTSC timebase, a file defined once, the audio track.
@Suite struct FCP7XMLWriterTests {
    /// The text between the first `<tag>` and its `</tag>` after `from`.
    func section(_ text: String, _ tag: String, after from: String = "") -> Substring {
        let tail = from.isEmpty ? text[...] : text[(text.range(of: from)?.upperBound ?? text.endIndex)...]
        guard let open = tail.range(of: "<" + tag + ">") ?? tail.range(of: "<" + tag + " "),
              let close = tail[open.upperBound...].range(of: "</" + tag + ">") else { return "" }
        return tail[open.lowerBound..<close.upperBound]
    }

    @Test func sequenceAndFileTimecodeAtTheNTSCTimebase() {
        let text = FCP7XMLWriter.render(TimelineWriterSamples.gold(keepGaps: false))
        #expect(text.contains(#"<xmeml version="4">"#))
        #expect(text.contains("<timebase>30</timebase>"))
        #expect(text.contains("<ntsc>TRUE</ntsc>"))
        #expect(!text.contains("<ntsc>FALSE</ntsc>"))
        let file = section(text, "file")
        #expect(file.contains("<string>01:00:00;00</string>"))
        #expect(file.contains("<frame>107892</frame>"))
        #expect(file.contains("<displayformat>DF</displayformat>"))
        #expect(file.contains("<duration>200000</duration>"))
        let pal = FCP7XMLWriter.render(TimelineWriterSamples.gold(rate: TimelineWriterSamples.pal, start: 90_000, keepGaps: false))
        #expect(pal.contains("<timebase>25</timebase>"))
        #expect(pal.contains("<ntsc>FALSE</ntsc>"))
        #expect(section(pal, "file").contains("<string>01:00:00:00</string>"))
        #expect(pal.contains("<displayformat>NDF</displayformat>"))
    }

    @Test func clipItemsPlaceTimelineFramesAndTakeMediaFrames() {
        let butted = FCP7XMLWriter.render(TimelineWriterSamples.gold(keepGaps: false))
        let third = section(butted, "clipitem", after: #"<clipitem id="clipitem-2">"#)
        #expect(third.contains("<start>60</start>"))
        #expect(third.contains("<end>360</end>"))
        // in/out count from the file's first frame; readers add its timecode.
        #expect(third.contains("<in>110000</in>"))
        #expect(third.contains("<out>110300</out>"))
        let kept = FCP7XMLWriter.render(TimelineWriterSamples.gold(keepGaps: true))
        let first = section(kept, "clipitem")
        #expect(first.contains("<start>30</start>") && first.contains("<end>60</end>"))
        #expect(kept.contains("<start>110000</start>"))
        // Gaps are the frames no clip item covers: no gap element exists in the format.
        #expect(!kept.contains("gap"))
    }

    @Test func aSharedFileIsDefinedOnceAndReferredToByID() {
        let text = FCP7XMLWriter.render(TimelineWriterSamples.gold(keepGaps: false))
        #expect(text.occurrences(of: #"<file id="file-1">"#) == 1)
        // Two more video clips and three audio ones refer to it.
        #expect(text.occurrences(of: #"<file id="file-1"/>"#) == 5)
        #expect(text.occurrences(of: "<pathurl>") == 1)
        let exported = FCP7XMLWriter.render(TimelineWriterSamples.exported())
        #expect(exported.occurrences(of: #"<file id="file-1">"#) == 1)
        #expect(exported.occurrences(of: #"<file id="file-2">"#) == 1)
    }

    @Test func anAudioTrackOnlyWhenThereIsSound() {
        let withSound = FCP7XMLWriter.render(TimelineWriterSamples.gold(keepGaps: false))
        #expect(withSound.occurrences(of: "<clipitem ") == 6)
        // The sequence's `<audio>` (a file's is `<audio/>`) holds a track of the same three clips.
        let audio = section(withSound, "track", after: "<audio>")
        #expect(audio.occurrences(of: "<clipitem ") == 3)
        #expect(audio.contains("<mediatype>audio</mediatype>"))
        #expect(withSound.occurrences(of: "<link>") == 12)
        let silent = FCP7XMLWriter.render(TimelineWriterSamples.gold(keepGaps: false, audio: false))
        #expect(silent.occurrences(of: "<clipitem ") == 3)
        #expect(!silent.contains("<audio"))
        #expect(!silent.contains("<link>"))
    }

    @Test func theReviewIsInCommentsAndLabels() {
        let text = FCP7XMLWriter.render(TimelineWriterSamples.gold(keepGaps: false, audio: false))
        #expect(text.contains("<clipcommenta>state review_approved, group 7</clipcommenta>"))
        #expect(text.contains("<clipcommenta>state review_skipped, not in the cut</clipcommenta>"))
        #expect(text.occurrences(of: "<label2>Forest</label2>") == 2)
        #expect(text.occurrences(of: "<label2>Rose</label2>") == 1)
    }

    @Test func textIsEscaped() {
        let text = FCP7XMLWriter.render(TimelineWriterSamples.gold(keepGaps: false, name: "A <b> & \"c\"\nd"))
        #expect(text.contains("<name>A &lt;b&gt; &amp; &quot;c&quot;\nd</name>"))
        #expect(text.contains("<name>clip 1 · a&lt;b &amp; &quot;c&quot; &apos;d&apos;\nnext</name>"))
    }

    @Test func localPathsArePercentEncodedAndS3URLsKept() {
        let local = FCP7XMLWriter.render(TimelineWriterSamples.gold(keepGaps: false, url: "/media/Été & co/a#1.mkv"))
        #expect(local.contains("<pathurl>file:///media/%C3%89t%C3%A9%20%26%20co/a%231.mkv</pathurl>"))
        #expect(local.contains("<name>a#1.mkv</name>"))
        let s3 = FCP7XMLWriter.render(TimelineWriterSamples.exported())
        #expect(s3.contains("<pathurl>s3://heaters/exports/clip 8.mp4</pathurl>"))
    }
}
