#!/usr/bin/env python3
"""The benchmark virtualenv .venv-bench: PySceneDetect and its pinned set (requirements-bench.txt),
kept out of the project's .venv (see that file for why). Used by scripts/bench-scenes and by the
timeline tests, which read heaters' CSV back with PySceneDetect's load-scenes.

    python3 scripts/bench_venv.py      make it if needed (a no-op when up to date); print its python
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VENV = os.path.join(ROOT, ".venv-bench")
REQUIREMENTS = os.path.join(HERE, "requirements-bench.txt")


def ensure_venv(log=lambda msg: print(msg, file=sys.stderr, flush=True)):
    """.venv-bench with exactly the pinned packages; a no-op when they are already there."""
    py = os.path.join(VENV, "bin", "python")
    stamp = os.path.join(VENV, "requirements-bench.stamp")
    with open(REQUIREMENTS) as fh:
        wanted = fh.read()
    if os.path.exists(py) and os.path.exists(stamp):
        with open(stamp) as fh:
            if fh.read() == wanted:
                return py
    log("== installing PySceneDetect into %s" % VENV)
    if not os.path.exists(py):
        subprocess.run([sys.executable, "-m", "venv", VENV], check=True)
    # --no-deps: the file pins the complete set (see its comment on opencv-python).
    subprocess.run([py, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
                    "-r", REQUIREMENTS], check=True, stdout=sys.stderr)
    subprocess.run([py, "-c", "import cv2, scenedetect"], check=True)
    with open(stamp, "w") as fh:
        fh.write(wanted)
    return py


if __name__ == "__main__":
    print(ensure_venv())
