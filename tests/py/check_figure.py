"""Independent checks of exported figures: the PNG's own chunks (struct +
zlib, CRCs verified), an XML parser for SVG, the PDF's cross-reference
structure for PDF. Prints one line of facts."""
import re
import struct
import sys
import xml.etree.ElementTree as ET
import zlib

kind, path = sys.argv[1], sys.argv[2]
if kind == "png":
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, chunks = 8, {}
    while pos < len(data):
        length, ctype = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        crc, = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        assert zlib.crc32(ctype + body) == crc, f"bad CRC in {ctype!r}"
        chunks.setdefault(ctype, body)
        pos += 12 + length
        if ctype == b"IEND":
            break
    w, h = struct.unpack(">II", chunks[b"IHDR"][:8])
    dpi = 0
    if b"pHYs" in chunks:
        x, y, unit = struct.unpack(">IIB", chunks[b"pHYs"])
        assert unit == 1 and x == y
        dpi = round(x * 0.0254)
    assert chunks.get(b"IDAT"), "no image data"
    print(f"size={w}x{h} dpi={dpi}")
elif kind == "svg":
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg"), root.tag
    n = sum(1 for _ in root.iter())
    print(f"width={root.get('width')} height={root.get('height')} elements={n}")
elif kind == "pdf":
    data = open(path, "rb").read()
    assert data.startswith(b"%PDF-"), "no %PDF header"
    assert data.rstrip().endswith(b"%%EOF"), "no %%EOF trailer"
    m = re.search(rb"startxref\s+(\d+)", data)
    assert m, "no startxref"
    off = int(m.group(1))
    assert data[off:off + 4] == b"xref" or re.match(rb"\d+ 0 obj", data[off:off + 20]), "startxref does not point at the xref"
    box = re.search(rb"/MediaBox\s*\[\s*([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    assert box, "no MediaBox"
    pages = len(re.findall(rb"/Type\s*/Page[^s]", data))
    print(f"mediabox={float(box.group(3)):.0f}x{float(box.group(4)):.0f} pages={pages}")
else:
    sys.exit(f"unknown kind {kind}")
