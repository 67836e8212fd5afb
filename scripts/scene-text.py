#!/usr/bin/env python3
"""The text of a document as its Scene holds it, paragraph by paragraph in
logical order: the reference for ../shared/tools/extract-matrix.

usage: nashr render LAYOUT --format json -o scene.json
       scripts/scene-text.py scene.json > reference.txt
       extract-matrix out.pdf reference.txt
"""
import json
import sys

scene = json.load(open(sys.argv[1], encoding="utf-8"))
paragraphs, order = {}, []
for page in scene["pages"]:
    for item in page["items"]:
        if item["kind"] != "glyphs":
            continue
        key = item["paragraph"]
        if key not in paragraphs:
            paragraphs[key] = {}
            order.append(key)
        for glyph in item["glyphs"]:
            if glyph["text"]:
                paragraphs[key][glyph["cluster"]] = glyph["text"]
out = []
for key in order:
    clusters, text, next_byte = paragraphs[key], "", None
    for cluster in sorted(clusters):
        if next_byte is not None and cluster > next_byte:
            text += " "
        text += clusters[cluster]
        next_byte = cluster + len(clusters[cluster].encode())
    out.append(text)
print("\n".join(out))
