"""Scoring of scene-boundary detections against the fixtures' truth (scripts/make-scene-fixtures).

Pure functions, standard library only; tests in scripts/test_scene_scoring.py
(`cd scripts && python3 -m unittest test_scene_scoring`).

A truth boundary is {"kind": "cut", "frame": F} (F = first frame of the new shot) or
{"kind": "dissolve" | "fade", "start": A, "end": B} (inclusive span). A detection is a frame
number: the first frame of the new scene. A detection matches a cut when it is within
CUT_TOLERANCE frames of F, and a gradual transition when it lies anywhere in
[A - GRADUAL_PAD, B + GRADUAL_PAD]. Every truth boundary and every detection matches at most
once, and the pairing is a maximum bipartite matching (so the score never depends on the order
in which detections are listed): TP = matched pairs, FP = unmatched detections, FN = unmatched
truth boundaries.
"""

CUT_TOLERANCE = 1
GRADUAL_PAD = 2


def window(boundary, cut_tolerance=CUT_TOLERANCE, gradual_pad=GRADUAL_PAD):
    """Inclusive (low, high) range of detection frames that match `boundary`."""
    if boundary["kind"] == "cut":
        return boundary["frame"] - cut_tolerance, boundary["frame"] + cut_tolerance
    return boundary["start"] - gradual_pad, boundary["end"] + gradual_pad


def match(truth, detections, cut_tolerance=CUT_TOLERANCE, gradual_pad=GRADUAL_PAD):
    """Maximum matching of detections (frame numbers) to truth boundaries.

    Returns a list `pair` with pair[i] = index into `detections` matched to truth[i], or None.
    Kuhn's augmenting paths; the inputs are tens of items, so O(V*E) is nothing.
    """
    windows = [window(b, cut_tolerance, gradual_pad) for b in truth]
    candidates = [[j for j, f in enumerate(detections) if lo <= f <= hi] for lo, hi in windows]
    # Prefer the closest detection first: the maximum size is the same, but the pairing shown
    # in reports is the intuitive one.
    for i, b in enumerate(truth):
        centre = b["frame"] if b["kind"] == "cut" else (b["start"] + b["end"]) / 2.0
        candidates[i].sort(key=lambda j: (abs(detections[j] - centre), j))
    owner = {}                              # detection index -> truth index

    def augment(i, seen):
        for j in candidates[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(truth)):
        augment(i, set())
    pair = [None] * len(truth)
    for j, i in owner.items():
        pair[i] = j
    return pair


def score(truth, detections, cut_tolerance=CUT_TOLERANCE, gradual_pad=GRADUAL_PAD):
    """Counts and details for one file: dict with tp, fp, fn, missed (truth boundaries not
    found), false_positives (unmatched detection frames, sorted)."""
    detections = [int(f) for f in detections]
    pair = match(truth, detections, cut_tolerance, gradual_pad)
    used = {j for j in pair if j is not None}
    tp = len(used)
    missed = [b for b, j in zip(truth, pair) if j is None]
    false_positives = sorted(f for j, f in enumerate(detections) if j not in used)
    return {"tp": tp, "fp": len(false_positives), "fn": len(missed), "missed": missed,
            "false_positives": false_positives}


def prf(tp, fp, fn):
    """(precision, recall, F1). Precision is None with no detections, recall None with no
    truth; F1 = 2TP / (2TP + FP + FN), and 1.0 when there was nothing to find and nothing found."""
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
    return precision, recall, f1


def aggregate(counts):
    """Sum tp/fp/fn over per-file counts (dicts) and add precision/recall/f1."""
    tp = sum(c["tp"] for c in counts)
    fp = sum(c["fp"] for c in counts)
    fn = sum(c["fn"] for c in counts)
    p, r, f1 = prf(tp, fp, fn)
    return {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f1}


def boundaries_from_scene_starts(starts):
    """Boundary frames from a scene list's start frames (PySceneDetect's convention: a scene
    starts at the first frame after a cut). The first scene's start is not a boundary; nor is
    frame 0 in any case."""
    starts = sorted(int(s) for s in starts)
    return [s for s in starts[1:] if s > 0]


def classify_false_positive(frame, truth_boundaries, nonboundaries, near=3):
    """Why a false positive probably happened, for reports: 'extra in <kind>' when it lies near a
    truth boundary that another detection already matched (a second detection in one fade,
    say), '<kind>' of the hard non-boundary it falls in (flash, pan, zoom, ...), else 'other'."""
    for b in truth_boundaries:
        lo, hi = window(b, near, near)
        if lo <= frame <= hi:
            return "extra in " + b["kind"]
    for nb in nonboundaries:
        if nb["start"] - near <= frame <= nb["end"] + near:
            return nb["kind"]
    return "other"
