"""Run one PySceneDetect detector on one video and print one JSON object (used by bench-scenes).

    .venv-bench/bin/python scripts/bench_scenes_pyscenedetect.py DETECTOR FILE

DETECTOR is ContentDetector, AdaptiveDetector, ThresholdDetector, HistogramDetector or
HashDetector, constructed with its default parameters. The SceneManager is also left at its
defaults, which include auto-downscaling (a 640-wide proxy is analysed at 640/256 = 2.5x
smaller): that is what PySceneDetect's users get.

Timed: SceneManager.detect_scenes() only (decoding through PySceneDetect's default OpenCV
backend plus the detector); importing, opening the video and building the scene list are not.
Output: {"detector", "file", "frames", "elapsed_seconds", "fps", "boundaries", "scene_starts",
"downscale", "scenedetect_version", "opencv_version"}, where boundaries are the start frames of
every scene but the first (PySceneDetect reports a cut as the first frame of the next scene).
"""

import json
import sys
import time

import cv2
import scenedetect
from scenedetect import (AdaptiveDetector, ContentDetector, HashDetector, HistogramDetector, SceneManager,
                         ThresholdDetector, open_video)
from scenedetect.scene_manager import compute_downscale_factor

DETECTORS = {
    "ContentDetector": ContentDetector,
    "AdaptiveDetector": AdaptiveDetector,
    "ThresholdDetector": ThresholdDetector,
    "HistogramDetector": HistogramDetector,
    "HashDetector": HashDetector,
}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in DETECTORS:
        sys.exit("usage: bench_scenes_pyscenedetect.py {%s} FILE" % "|".join(DETECTORS))
    name, path = sys.argv[1], sys.argv[2]
    video = open_video(path)
    manager = SceneManager()
    manager.add_detector(DETECTORS[name]())
    started = time.perf_counter()
    frames = manager.detect_scenes(video=video, show_progress=False)
    elapsed = time.perf_counter() - started
    scenes = manager.get_scene_list()
    starts = sorted(start.frame_num for start, _ in scenes)
    boundaries = [s for s in starts[1:] if s > 0]
    downscale = 1 if not manager.auto_downscale else compute_downscale_factor(video.frame_size[0])
    json.dump({"detector": name, "file": path, "frames": frames, "elapsed_seconds": elapsed,
               "fps": frames / elapsed if elapsed > 0 else None, "boundaries": boundaries,
               "scene_starts": starts, "downscale": downscale,
               "scenedetect_version": scenedetect.__version__, "opencv_version": cv2.__version__}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
