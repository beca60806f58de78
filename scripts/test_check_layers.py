"""The layer check itself: it must fail on a graph with a forbidden edge, pass once the edge is
gone, and catch the other ways the table can be broken. Run by `make test`."""
import copy
import importlib.machinery
import importlib.util
import json
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "check-layers")
FIXTURE = os.path.join(HERE, "fixtures", "layers-forbidden-edge.json")

loader = importlib.machinery.SourceFileLoader("check_layers", SCRIPT)
spec = importlib.util.spec_from_loader("check_layers", loader)
check_layers = importlib.util.module_from_spec(spec)
loader.exec_module(check_layers)


def fixture():
    with open(FIXTURE) as file:
        return json.load(file)


def target(graph, name):
    return next(t for t in graph["targets"] if t["name"] == name)


def without_forbidden_edge(graph):
    graph = copy.deepcopy(graph)
    tui = target(graph, "TUI")
    tui["dependencies"] = [d for d in tui["dependencies"] if d.get("byName", [None])[0] != "Database"]
    return graph


class CheckLayersTests(unittest.TestCase):
    def test_the_fixture_graph_fails_naming_the_forbidden_edge(self):
        run = subprocess.run([sys.executable, SCRIPT, "--graph", FIXTURE], capture_output=True, text=True)
        self.assertEqual(run.returncode, 1)
        self.assertIn("TUI → Database: not allowed", run.stderr)

    def test_the_same_graph_without_that_edge_passes(self):
        self.assertEqual(check_layers.check(without_forbidden_edge(fixture())), [])

    def test_domain_may_not_use_another_package(self):
        graph = without_forbidden_edge(fixture())
        target(graph, "Domain")["dependencies"].append({"product": ["Logging", "swift-log", None, None]})
        self.assertEqual(check_layers.check(graph),
                         ["Domain → Logging: Domain is pure and depends on nothing outside the standard library"])

    def test_a_leaf_may_not_use_a_layer(self):
        graph = without_forbidden_edge(fixture())
        target(graph, "Config")["dependencies"].append({"byName": ["Storage", None]})
        self.assertEqual(len(check_layers.check(graph)), 1)

    def test_a_layers_tests_may_not_reach_past_it(self):
        graph = without_forbidden_edge(fixture())
        target(graph, "MediaTests")["dependencies"].append({"target": ["Database", None]})
        self.assertEqual(check_layers.check(graph),
                         ["MediaTests → Database: not allowed (allowed: CFFmpeg, Config, Media, Storage, Support)"])

    def test_a_target_missing_from_the_table_fails(self):
        graph = without_forbidden_edge(fixture())
        graph["targets"].append({"name": "Export", "type": "regular", "dependencies": []})
        self.assertEqual(check_layers.check(graph),
                         ["Export: not in the layer table (add it to scripts/check-layers and README)"])


if __name__ == "__main__":
    unittest.main()
