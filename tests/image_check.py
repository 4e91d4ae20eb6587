#!/usr/bin/python3
"""image_check.py FILE [MIN_WIDTH MIN_HEIGHT] - is FILE a real, non-blank
plot? For the plot tests (tests/plot_*.sh); exit 0 and one line of
figures when it is, 1 and the reason when not.

PNG: the signature, the IHDR chunk's width and height (at least the
minimums), a plausible size, and the decoded pixels: enough of them differ
from the background (the most common colour), in several colours.
SVG: well-formed XML with an <svg> root, its width and height, and enough
drawn elements (paths, lines, text).
"""

import struct
import sys
import xml.etree.ElementTree as ET
import zlib

PNG_SIG = b"\x89PNG\r\n\x1a\n"


def bad(msg):
    print(f"image_check: {sys.argv[1]}: {msg}", file=sys.stderr)
    sys.exit(1)


def check_png(data, min_w, min_h):
    if data[:8] != PNG_SIG:
        bad(f"no PNG signature (starts {data[:8]!r})")
    length, ctype = struct.unpack(">I4s", data[8:16])
    if ctype != b"IHDR" or length != 13:
        bad(f"first chunk is {ctype!r} ({length} bytes), not IHDR")
    ihdr = data[16:29]
    crc = struct.unpack(">I", data[29:33])[0]
    if zlib.crc32(b"IHDR" + ihdr) != crc:
        bad("IHDR CRC mismatch")
    width, height, depth, color = struct.unpack(">IIBB", ihdr[:10])
    if width < min_w or height < min_h:
        bad(f"{width}x{height}, want at least {min_w}x{min_h}")
    # A blank 1000x1000 palette PNG compresses to about 5 KB; a plot with
    # axes, text and lines takes several times that. Anything past 5 MB
    # at these sizes means something is badly wrong.
    if not 16000 <= len(data) <= 5_000_000:
        bad(f"implausible size {len(data)} bytes for {width}x{height}")

    import numpy
    import matplotlib.image
    px = matplotlib.image.imread(sys.argv[1])
    if px.shape[0] != height or px.shape[1] != width:
        bad(f"decodes to {px.shape}, IHDR says {width}x{height}")
    rgb = (numpy.asarray(px)[..., :3] * 255).round().astype(numpy.uint32)
    flat = (rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]
    values, counts = numpy.unique(flat, return_counts=True)
    background = values[counts.argmax()]
    ink = float((flat != background).mean())
    # Colours that cover at least 0.05 % of the image: the plot's own
    # (lines, bars, text), not anti-aliasing fringes.
    colours = int((counts >= flat.size * 0.0005).sum())
    std = float(rgb.std())
    if ink < 0.03:
        bad(f"nearly blank: {ink:.2%} of pixels differ from the background")
    if colours < 4:
        bad(f"only {colours} colours of any extent: not a plot")
    if std < 5:
        bad(f"pixel standard deviation {std:.1f}: nearly uniform")
    print(f"png {width}x{height} depth {depth} colour type {color}, "
          f"{len(data)} bytes, ink {ink:.1%}, {colours} colours, "
          f"std {std:.1f}")


def check_svg(data, min_w, min_h):
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        bad(f"not well-formed XML: {e}")
    if not root.tag.endswith("}svg") and root.tag != "svg":
        bad(f"root element is {root.tag}, not svg")

    def points(attr):
        v = root.get(attr, "")
        try:
            return float(v.replace("pt", "").replace("px", ""))
        except ValueError:
            bad(f"{attr}={v!r} is not a size")

    w, h = points("width"), points("height")
    # SVG sizes are in points (1/72 in): the minimums are pixels at 100 dpi.
    if w * 100 / 72 < min_w or h * 100 / 72 < min_h:
        bad(f"{w}x{h} pt, want at least {min_w}x{min_h} px at 100 dpi")
    drawn = [e for e in root.iter()
             if e.tag.split("}")[-1] in ("path", "line", "polyline", "rect",
                                          "text", "use")]
    texts = [e for e in root.iter() if e.tag.split("}")[-1] == "text"]
    if len(drawn) < 50:
        bad(f"only {len(drawn)} drawn elements")
    if not 5000 <= len(data) <= 20_000_000:
        bad(f"implausible size {len(data)} bytes")
    print(f"svg {w:g}x{h:g} pt, {len(data)} bytes, {len(drawn)} drawn "
          f"elements, {len(texts)} text")


def main():
    if len(sys.argv) not in (2, 4):
        print(__doc__.split("\n")[0], file=sys.stderr)
        sys.exit(2)
    min_w, min_h = (int(sys.argv[2]), int(sys.argv[3])) if len(
        sys.argv) == 4 else (400, 300)
    try:
        with open(sys.argv[1], "rb") as f:
            data = f.read()
    except OSError as e:
        bad(f"cannot read: {e}")
    if sys.argv[1].lower().endswith(".svg"):
        check_svg(data, min_w, min_h)
    else:
        check_png(data, min_w, min_h)


if __name__ == "__main__":
    main()
