import Testing
import Domain

/// The FCPXML writer: exact rational times, assets shared by clips, the spine's gaps.
@Suite struct FCPXMLWriterTests {
    @Test func timesAreExactRationalsOfSecondsAt2997() {
        let text = FCPXMLWriter.render(TimelineWriterSamples.gold(keepGaps: true))
        #expect(text.contains(#"<fcpxml version="1.8">"#))
        #expect(text.contains(#"frameDuration="1001/30000s""#))
        // Frame 30 of the timeline is 30 × 1001/30000 s; the clip's source timecode is
        // 01:00:00;00 (frame 107 892) + 30 = 107 922 frames, 107 922 × 1001/30000 s reduced.
        #expect(text.contains(#"offset="1001/1000s" name="clip 1"#))
        #expect(text.contains(#"start="18004987/5000s" duration="1001/1000s""#))
        // The asset starts at its file's start timecode; frame 110 000 of the timeline.
        #expect(text.contains(#"start="8999991/2500s" duration="20020/3s""#))
        #expect(text.contains(#"offset="11011/3s""#))
        #expect(text.contains(#"tcFormat="DF""#))
    }

    @Test func wholeSecondsAreWrittenAsSuch() {
        let text = FCPXMLWriter.render(TimelineWriterSamples.gold(rate: TimelineWriterSamples.pal, start: 90_000, keepGaps: false))
        #expect(text.contains(#"frameDuration="1/25s""#))
        #expect(text.contains(#"start="3600s""#))
        #expect(text.contains(#"offset="0s""#))
        // Frame 90 030 is 90030/25 s, reduced.
        #expect(text.contains(#"start="18006/5s" duration="6/5s""#))
        #expect(text.contains(#"tcFormat="NDF""#))
    }

    @Test func theSpineHasGapsOnlyWhereTheTimelineKeepsThem() {
        let kept = FCPXMLWriter.render(TimelineWriterSamples.gold(keepGaps: true))
        #expect(kept.occurrences(of: "<gap ") == 3)
        #expect(kept.contains(#"<gap name="Gap" offset="0s" duration="1001/1000s"/>"#))
        let butted = FCPXMLWriter.render(TimelineWriterSamples.gold(keepGaps: false))
        #expect(butted.occurrences(of: "<gap ") == 0)
        #expect(butted.occurrences(of: "<asset-clip ") == 3)
    }

    @Test func oneAssetPerMediaFile() {
        let shared = FCPXMLWriter.render(TimelineWriterSamples.gold(keepGaps: false))
        #expect(shared.occurrences(of: "<asset ") == 1)
        #expect(shared.occurrences(of: #"ref="r2""#) == 3)
        let exported = FCPXMLWriter.render(TimelineWriterSamples.exported())
        #expect(exported.occurrences(of: "<asset ") == 2)
        #expect(exported.contains(#"ref="r3""#))
    }

    @Test func soundRidesWithTheClipsAsFinalCutDoes() {
        let withSound = FCPXMLWriter.render(TimelineWriterSamples.gold(keepGaps: false))
        #expect(withSound.contains(#"hasAudio="1""#))
        #expect(withSound.contains(#"audioLayout="stereo""#))
        #expect(!withSound.contains("srcEnable"))
        let silent = FCPXMLWriter.render(TimelineWriterSamples.gold(keepGaps: false, audio: false))
        #expect(silent.contains(#"hasAudio="0""#))
        #expect(!silent.contains("audioLayout"))
        // A timeline without sound whose file has some takes only the picture.
        var pictureOnly = TimelineWriterSamples.gold(keepGaps: false)
        pictureOnly.hasAudio = false
        #expect(FCPXMLWriter.render(pictureOnly).occurrences(of: #"srcEnable="video""#) == 3)
    }

    @Test func theReviewIsInNotesRatingsAndKeywords() {
        let text = FCPXMLWriter.render(TimelineWriterSamples.gold(keepGaps: false))
        #expect(text.contains("<note>state review_approved, group 7</note>"))
        #expect(text.contains("<note>state review_skipped, not in the cut</note>"))
        #expect(text.occurrences(of: #"value="reject""#) == 1)
        #expect(text.occurrences(of: #"value="favorite""#) == 2)
        #expect(text.contains(#"<keyword start="18004987/5000s" duration="1001/1000s" value="a&lt;b &amp; &quot;c&quot; &apos;d&apos;&#10;next"/>"#))
    }

    @Test func textIsEscapedIncludingNewlinesInAttributes() {
        let text = FCPXMLWriter.render(TimelineWriterSamples.gold(keepGaps: false, name: "A <b> & \"c\"\nd"))
        #expect(text.contains(#"<project name="A &lt;b&gt; &amp; &quot;c&quot;&#10;d">"#))
        #expect(text.contains(#"name="clip 1 · a&lt;b &amp; &quot;c&quot; &apos;d&apos;&#10;next""#))
        #expect(!text.contains("\nd\""))
    }

    @Test func localPathsArePercentEncodedAndS3URLsKept() {
        let local = FCPXMLWriter.render(TimelineWriterSamples.gold(keepGaps: false, url: "/media/Été & co/a#1.mkv"))
        #expect(local.contains(#"src="file:///media/%C3%89t%C3%A9%20%26%20co/a%231.mkv""#))
        let s3 = FCPXMLWriter.render(TimelineWriterSamples.exported())
        #expect(s3.contains(#"src="s3://heaters/exports/clip 8.mp4""#))
    }
}
