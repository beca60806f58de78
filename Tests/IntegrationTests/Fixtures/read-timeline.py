#!/usr/bin/env python3
"""Reads a timeline file with OpenTimelineIO and prints what it found, as JSON, so the
integration tests can check `heaters timeline` against the readers editors' tools use:

    read-timeline.py FORMAT FILE [RATE]

FORMAT is otio, edl, fcpxml or fcp7; RATE ("25", "30000/1001") is the EDL's frame rate, which
an EDL does not state (the other formats do; it is ignored for them). Prints

    {"name": ..., "rate": <the first clip's rate>,
     "tracks": [{"kind": "Video"|"Audio", "name": ..., "source_start": frames|null,
                 "items": [{"type": "clip"|"gap"|..., "name": ..., "start": frames,
                            "duration": frames, "target_url": ...|null,
                            "range_in_parent_start": frames,
                            "media_start": frames|null, "media_duration": frames|null}]}]}

`start`/`duration` are the item's source range (a clip's starts at its source timecode),
`media_*` its media reference's available range, `range_in_parent_start` where it sits in its
track, and `source_start` a track's own source range start (an EDL's record start, negated).
Frames are counted at each time's own rate; a time that is not a whole frame is printed as a
fraction so that a test sees it.

The FCPXML adapter (otio-fcpx-xml-adapter 1.0.0) does its time arithmetic in truncated floats:
int(29 / 25 * 25) reads frame 29 at 25 fps as 28, and it truncates 30000/1001 fps to 29, so
every time at an NTSC rate comes out wrong. This replaces its three time helpers with exact
rational arithmetic before reading; which elements it reads, and how it builds tracks, gaps
and references from them, is the adapter's own.
"""
import json
import sys
from fractions import Fraction

import opentimelineio as otio

ADAPTERS = {"otio": "otio_json", "edl": "cmx_3600", "fcpxml": "fcpx_xml", "fcp7": "fcp_xml"}


def fcpx_seconds(value):
    """"1001/30000s", "3600s" or None → exact seconds."""
    if value is None or value == "0s":
        return Fraction(0)
    return Fraction(value.rstrip("s"))


def exact_fcpx_times():
    # The module OTIO reads with (its plugin loader imports the adapter's file under its own
    # name, so patching `otio_fcpx_xml_adapter.fcpx_xml` would not reach it).
    fcpx_xml = otio.adapters.from_name(ADAPTERS["fcpxml"]).module()

    def rate_of(fps):
        # The adapter passes rates around as numbers; ours are floats of exact ratios.
        return Fraction(fps).limit_denominator(1_000_000)

    def to_rational_time(rational_number, fps):
        frames = fcpx_seconds(rational_number) * rate_of(fps)
        value = frames.numerator if frames.denominator == 1 else float(frames)
        return otio.opentime.RationalTime(value, float(rate_of(fps)))

    def format_frame_rate(self, format_id):
        total, rate = self._format_frame_duration(format_id)
        return float(Fraction(int(rate), int(total)))

    def number_of_frames(self, time_value, format_id):
        frames = fcpx_seconds(time_value) * rate_of(self._format_frame_rate(format_id))
        return frames.numerator if frames.denominator == 1 else float(frames)

    fcpx_xml.to_rational_time = to_rational_time
    fcpx_xml.FcpxXml._format_frame_rate = format_frame_rate
    fcpx_xml.FcpxXml._number_of_frames = number_of_frames


def frames(time):
    """A RationalTime in frames of its own rate: an int, or a float when not a whole frame."""
    if time is None:
        return None
    value = time.value
    return int(round(value)) if abs(value - round(value)) < 1e-6 else value


def first_timeline(result):
    if isinstance(result, otio.schema.Timeline):
        return result
    for timeline in result.find_children(descended_from_type=otio.schema.Timeline):
        return timeline
    raise SystemExit("no timeline in the file")


def item_json(item):
    media = getattr(item, "media_reference", None)
    available = getattr(media, "available_range", None) if media is not None else None
    source = item.source_range
    return {
        "type": item.schema_name().lower(),
        "name": item.name,
        "start": frames(source.start_time) if source else None,
        "duration": frames(item.duration()),
        "target_url": getattr(media, "target_url", None),
        "range_in_parent_start": frames(item.range_in_parent().start_time),
        "media_start": frames(available.start_time) if available else None,
        "media_duration": frames(available.duration) if available else None,
    }


def main(argv):
    if len(argv) not in (3, 4) or argv[1] not in ADAPTERS:
        raise SystemExit(f"usage: {argv[0]} {'|'.join(ADAPTERS)} FILE [RATE]")
    kind, path = argv[1], argv[2]
    options = {}
    if kind == "edl":
        if len(argv) != 4:
            raise SystemExit("an EDL does not say its rate: give RATE")
        options["rate"] = float(Fraction(argv[3]))
    if kind == "fcpxml":
        exact_fcpx_times()
    timeline = first_timeline(otio.adapters.read_from_file(path, adapter_name=ADAPTERS[kind], **options))
    tracks = []
    rate = None
    for track in timeline.tracks:
        items = [item_json(item) for item in track]
        for item in track:
            if rate is None and isinstance(item, otio.schema.Clip):
                rate = item.source_range.start_time.rate
        tracks.append({
            "kind": track.kind,
            "name": track.name,
            "source_start": frames(track.source_range.start_time) if track.source_range else None,
            "items": items,
        })
    json.dump({"name": timeline.name, "rate": rate, "tracks": tracks}, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv)
