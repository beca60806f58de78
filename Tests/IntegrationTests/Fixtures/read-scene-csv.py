"""Reads a scene-list CSV the way PySceneDetect does, for the timeline CSV tests.

Usage: .venv-bench/bin/python read-scene-csv.py VIDEO CSV   (the venv's python, not python3:
the PySceneDetect run is the one installed beside the interpreter)

Runs PySceneDetect's own CLI from the venv this interpreter belongs to (the `scenedetect`
script beside sys.executable): `load-scenes` reads CSV against VIDEO, `list-scenes` writes the
scenes it loaded to a CSV in a temporary folder, and that file is parsed. Prints JSON
`[{"start": first frame (0-based), "end": one past the last frame}, ...]`.

PySceneDetect's CSV numbers "Start Frame" from 1 and gives the exclusive 0-based end as
"End Frame" (scene [0, 150) is `1 ... 150`), hence start - 1 and end as written.
"""

import csv
import json
import os
import subprocess
import sys
import tempfile


def scenedetect_command():
    script = os.path.join(os.path.dirname(sys.executable), "scenedetect")
    return [script] if os.path.exists(script) else [sys.executable, "-m", "scenedetect"]


def loaded_scenes(video, scene_csv):
    with tempfile.TemporaryDirectory() as folder:
        command = scenedetect_command() + [
            "--input", video, "load-scenes", "--input", scene_csv,
            "list-scenes", "--output", folder, "--filename", "loaded.csv", "--quiet",
        ]
        run = subprocess.run(command, capture_output=True, text=True)
        if run.returncode != 0:
            sys.stderr.write(run.stdout + run.stderr)
            sys.exit(f"scenedetect exited with {run.returncode}")
        with open(os.path.join(folder, "loaded.csv"), newline="") as file:
            rows = list(csv.reader(file))
    # The first row is the cut list ("Timecode List:", …) or empty; the header follows.
    header_index = next(i for i, row in enumerate(rows) if "Start Frame" in row)
    header = rows[header_index]
    start, end = header.index("Start Frame"), header.index("End Frame")
    return [{"start": int(row[start]) - 1, "end": int(row[end])} for row in rows[header_index + 1:] if row]


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: read-scene-csv.py VIDEO CSV")
    print(json.dumps(loaded_scenes(sys.argv[1], sys.argv[2])))


if __name__ == "__main__":
    main()
