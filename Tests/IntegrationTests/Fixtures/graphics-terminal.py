#!/usr/bin/env python3
"""A terminal with a graphics protocol, for the station's pixel-picture tests.

Runs `heaters review` in a pseudo-terminal of the given size, answers the station's queries
as a sixel terminal (device attributes with 4), a kitty terminal (the graphics query's OK) or
a plain one, with the cell size asked for, then presses keys and waits for the station's
markers (HEATERS_STATION_MARKER=1). Decodes the sixel pictures it receives (a small decoder
of the DEC format: palette, six-pixel bands, repeats), so the test sees their size in pixels,
where they were placed and whether they change; prints one JSON object.

    graphics-terminal.py HEATERS --answer sixel|kitty|plain [--cell 10x20] [--size 160x48] [--keys l,b:3,q]
"""
import argparse
import fcntl
import json
import os
import pty
import re
import select
import struct
import termios
import time

MARK = re.compile(rb"\x1b\]1337;heaters-drawn;clip=(\d+);frame=(\d+);picture=(\d);playing=(\d)\x07")
SIXEL = re.compile(rb"\x1b7\x1b\[(\d+);(\d+)H\x1bP[0-9;]*q(.*?)\x1b\\\x1b8", re.S)
KITTY = re.compile(rb"\x1b7\x1b\[(\d+);(\d+)H((?:\x1b_G[^\x1b]*\x1b\\)+)\x1b8", re.S)


def decode_sixel(body):
    """(width, height, distinct colours, a digest of the pixels) of a sixel body."""
    palette, colour, x, band, pixels = {}, 0, 0, 0, {}
    i, width = 0, 0
    raster = re.match(rb'"(\d+);(\d+);(\d+);(\d+)', body)
    if raster:
        i = raster.end()
    while i < len(body):
        c = body[i]
        if c == ord("#"):
            match = re.match(rb"#(\d+)(?:;(\d+);(\d+);(\d+);(\d+))?", body[i:])
            colour = int(match[1])
            if match[2] is not None:
                palette[colour] = (int(match[3]), int(match[4]), int(match[5]))
            i += match.end()
            continue
        repeat = 1
        if c == ord("!"):
            match = re.match(rb"!(\d+)", body[i:])
            repeat = int(match[1])
            i += match.end()
            c = body[i]
        if c == ord("$"):
            x = 0
        elif c == ord("-"):
            x, band = 0, band + 1
        elif 0x3F <= c <= 0x7E:
            bits = c - 0x3F
            for _ in range(repeat):
                for bit in range(6):
                    if bits & (1 << bit):
                        pixels[(x, band * 6 + bit)] = colour
                x += 1
            width = max(width, x)
        i += 1
    height = max((y for _, y in pixels), default=-1) + 1
    if raster:
        width, height = int(raster[3]), int(raster[4])
    colours = {palette.get(v) for v in pixels.values()}
    digest = hash(tuple(sorted(pixels.items()))[:: max(1, len(pixels) // 2000)])
    return width, height, len(colours), digest


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("heaters")
    parser.add_argument("--answer", choices=["sixel", "kitty", "plain"], required=True)
    parser.add_argument("--cell", default="10x20")
    parser.add_argument("--size", default="160x48")
    parser.add_argument("--keys", default="l,q")
    arguments = parser.parse_args()
    cell_width, cell_height = (int(v) for v in arguments.cell.split("x"))
    columns, rows = (int(v) for v in arguments.size.split("x"))

    pid, fd = pty.fork()
    if pid == 0:
        os.execve(arguments.heaters, [arguments.heaters, "review"], dict(os.environ, HEATERS_STATION_MARKER="1"))
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    output = b""
    queried = False
    answered = False

    def pump(timeout):
        nonlocal output, queried, answered
        ready, _, _ = select.select([fd], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(fd, 1 << 20)
        except OSError:
            return False
        output += data
        if not answered and b"\x1b[c" in output:
            queried = b"\x1b_Gi=31" in output and b"\x1b[16t" in output
            reply = b""
            if arguments.answer == "kitty":
                reply += b"\x1b_Gi=31;OK\x1b\\"
            reply += f"\x1b[6;{cell_height};{cell_width}t".encode()
            reply += b"\x1b[?62;4;22c" if arguments.answer == "sixel" else b"\x1b[?62;22c"
            os.write(fd, reply)
            answered = True
        return True

    def marks():
        return [(int(m[1]), int(m[2]), m[3] == b"1") for m in MARK.finditer(output)]

    def wait(condition, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return True
            pump(0.05)
        return condition()

    pictures = []
    wait(lambda: any(picture for _, _, picture in marks()))
    first = output[: output.find(b"picture=1")] if b"picture=1" in output else output
    # Whatever came after the first picture's marker belongs to the first key.
    output_mark = len(first)
    for spec in arguments.keys.split(","):
        # "b:3": press b, then wait (at most 90 s: a loaded machine renders slowly) until this key
        # has written 3 pictures.
        key, _, wanted = spec.partition(":")
        before = len(marks())
        seen = output_mark
        os.write(fd, key.encode())
        if key == "q":
            break
        wait(lambda: len(marks()) > before and marks()[-1][2])
        if wanted:
            # Counted after the last kitty delete: a slow station may draw the view twice.
            def drawn(chunk, marker=b"\x1b_Ga=d,d=A\x1b\\"):
                tail = chunk[chunk.rfind(marker) + len(marker):] if marker in chunk else chunk
                return len(SIXEL.findall(tail)) + len(KITTY.findall(tail))
            wait(lambda: drawn(bytes(output[seen:])) >= int(wanted), timeout=90)
        # Everything this key drew: until the station has been quiet for 0.3 s (at most 3 s).
        quiet = started = time.monotonic()
        while time.monotonic() - quiet < 0.3 and time.monotonic() - started < 3:
            if pump(0.05):
                quiet = time.monotonic()
        pictures.append(output[seen:])
        output_mark = len(output)
    deadline = time.monotonic() + 15
    status = None
    while time.monotonic() < deadline:
        pump(0.05)
        done, code = os.waitpid(pid, os.WNOHANG)
        if done:
            status = code
            break
    else:
        os.kill(pid, 9)

    visible = {}  # (row, column) → the picture there, as the terminal would show it

    def describe(chunk):
        """The pictures this chunk wrote, and those on screen after it (kitty deletes applied)."""
        written = []
        events = sorted([(m.start(), "sixel", m) for m in SIXEL.finditer(chunk)]
                        + [(m.start(), "kitty", m) for m in KITTY.finditer(chunk)]
                        + [(m.start(), "delete", m) for m in re.finditer(rb"\x1b_Ga=d,d=A\x1b\\", chunk)],
                        key=lambda e: e[0])
        for _, kind, m in events:
            if kind == "delete":
                for place in [p for p, v in visible.items() if v["protocol"] == "kitty"]:
                    del visible[place]
                continue
            picture = {"protocol": kind, "row": int(m[1]), "column": int(m[2])}
            if kind == "sixel":
                picture.update(zip(["width", "height", "colours", "digest"], decode_sixel(m[3])), bytes=len(m[3]))
            else:
                head = re.search(rb"\x1b_G([^;\x1b]*)", m[3])[1].decode()
                fields = dict(item.split("=") for item in head.split(",") if "=" in item)
                picture.update({"cells": [int(fields.get("c", 0)), int(fields.get("r", 0))],
                                "pixels": [int(fields.get("s", 0)), int(fields.get("v", 0))], "bytes": len(m[3]),
                                "digest": hash(m[3])})
            written.append(picture)
            visible[(picture["row"], picture["column"])] = picture
        return {"written": written, "visible": sorted(visible.values(), key=lambda v: (v["row"], v["column"]))}

    print(json.dumps({
        "queried": queried,
        "exit": status,
        "first": describe(first),
        "keys": [describe(chunk) for chunk in pictures],
        "restored": output.rstrip().endswith(b"\x1b[?1049l") or b"\x1b[?1049l" in output[-200:],
    }))


if __name__ == "__main__":
    main()
