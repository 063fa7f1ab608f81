"""Independent checks of exported figures: PIL for PNG, an XML parser for SVG,
the PDF's own cross-reference structure for PDF. Prints one line of facts."""
import re
import sys
import xml.etree.ElementTree as ET

kind, path = sys.argv[1], sys.argv[2]
if kind == "png":
    try:
        from PIL import Image
    except ImportError:
        sys.exit(77)
    im = Image.open(path)
    im.load()
    dpi = im.info.get("dpi", (0, 0))
    print(f"size={im.size[0]}x{im.size[1]} dpi={round(dpi[0])} mode={im.mode}")
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
