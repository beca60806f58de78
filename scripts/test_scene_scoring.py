"""Unit tests of scene_scoring: cd scripts && python3 -m unittest test_scene_scoring"""

import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import scene_scoring as s  # noqa: E402


def cut(f):
    return {"kind": "cut", "frame": f}


def gradual(a, b, kind="dissolve"):
    return {"kind": kind, "start": a, "end": b}


class WindowTests(unittest.TestCase):
    def test_cut_matches_within_one_frame(self):
        for d in (99, 100, 101):
            self.assertEqual(s.score([cut(100)], [d])["tp"], 1, d)
        for d in (98, 102):
            r = s.score([cut(100)], [d])
            self.assertEqual((r["tp"], r["fp"], r["fn"]), (0, 1, 1), d)

    def test_gradual_matches_anywhere_in_span_plus_two(self):
        for d in (48, 50, 55, 60, 62):
            self.assertEqual(s.score([gradual(50, 60)], [d])["tp"], 1, d)
        for d in (47, 63):
            self.assertEqual(s.score([gradual(50, 60, "fade")], [d])["tp"], 0, d)


class MatchingTests(unittest.TestCase):
    def test_each_truth_boundary_matches_once(self):
        r = s.score([cut(100)], [100, 101])
        self.assertEqual((r["tp"], r["fp"], r["fn"]), (1, 1, 0))
        self.assertEqual(r["false_positives"], [101])

    def test_two_detections_in_one_fade_are_one_hit_and_one_false_positive(self):
        r = s.score([gradual(200, 230, "fade")], [205, 226])
        self.assertEqual((r["tp"], r["fp"], r["fn"]), (1, 1, 0))

    def test_each_detection_matches_once(self):
        # Two cuts two frames apart, one detection between them: one hit, one miss.
        r = s.score([cut(10), cut(12)], [11])
        self.assertEqual((r["tp"], r["fp"], r["fn"]), (1, 0, 1))

    def test_maximum_matching_not_greedy(self):
        # A greedy pass that gives detection 11 to the dissolve (listed first) would leave the
        # cut unmatched and detection 21 without a partner. The maximum matching pairs both.
        truth = [gradual(11, 20), cut(10)]
        r = s.score(truth, [11, 21])
        self.assertEqual((r["tp"], r["fp"], r["fn"]), (2, 0, 0))
        self.assertEqual(s.match(truth, [11, 21]), [1, 0])

    def test_order_of_detections_does_not_matter(self):
        truth = [cut(10), gradual(9, 30), cut(31), gradual(40, 55, "fade")]
        dets = [10, 11, 30, 32, 41, 57, 90]
        expected = s.score(truth, dets)
        self.assertEqual((expected["tp"], expected["fp"], expected["fn"]), (4, 3, 0))
        self.assertEqual(s.score(truth, list(reversed(dets)))["tp"], expected["tp"])

    def test_chain_needing_augmenting_path(self):
        # d0 fits t0 and t1, d1 fits t1 and t2, d2 fits only t0: all three must pair up.
        truth = [gradual(0, 10), gradual(8, 20), cut(19)]
        r = s.score(truth, [9, 18, 1])
        self.assertEqual((r["tp"], r["fp"], r["fn"]), (3, 0, 0))

    def test_nothing(self):
        r = s.score([], [])
        self.assertEqual((r["tp"], r["fp"], r["fn"]), (0, 0, 0))
        self.assertEqual(s.score([cut(5)], [])["missed"], [cut(5)])


class MetricTests(unittest.TestCase):
    def test_prf(self):
        self.assertEqual(s.prf(3, 1, 2), (0.75, 0.6, 6 / 9))
        self.assertEqual(s.prf(0, 0, 4), (None, 0.0, 0.0))
        self.assertEqual(s.prf(0, 2, 0), (0.0, None, 0.0))
        self.assertEqual(s.prf(0, 0, 0), (None, None, 1.0))

    def test_aggregate_sums_counts_not_scores(self):
        agg = s.aggregate([{"tp": 9, "fp": 1, "fn": 0}, {"tp": 0, "fp": 0, "fn": 1}])
        self.assertEqual((agg["tp"], agg["fp"], agg["fn"]), (9, 1, 1))
        self.assertAlmostEqual(agg["f1"], 18 / 20)
        self.assertAlmostEqual(agg["precision"], 0.9)
        self.assertAlmostEqual(agg["recall"], 0.9)


class ConversionTests(unittest.TestCase):
    def test_scene_starts_to_boundaries(self):
        self.assertEqual(s.boundaries_from_scene_starts([0, 40, 97]), [40, 97])
        self.assertEqual(s.boundaries_from_scene_starts([97, 0, 40]), [40, 97])
        self.assertEqual(s.boundaries_from_scene_starts([]), [])
        self.assertEqual(s.boundaries_from_scene_starts([0]), [])

    def test_classify_false_positive(self):
        truth = [gradual(100, 130, "fade")]
        nonb = [{"kind": "flash", "start": 300, "end": 301}]
        self.assertEqual(s.classify_false_positive(128, truth, nonb), "extra in fade")
        self.assertEqual(s.classify_false_positive(302, truth, nonb), "flash")
        self.assertEqual(s.classify_false_positive(500, truth, nonb), "other")


if __name__ == "__main__":
    unittest.main()
