#!/usr/bin/env python3
"""Compare the text pdftotext extracts from a PDF with a source text.

Usage: scripts/extract-check.py OUT.pdf SOURCE.txt [--min-in-order PERCENT]

Both texts are folded: poppler's directional marks (U+202A–U+202E) are
dropped, `**` markup is dropped from the source, and all white space is
removed. Prints how many source characters come back in order (longest common
subsequence), which are missing, which are extra, and whether any «لا» is
reversed. Exit code 1 when the folded texts differ; with --min-in-order, exit
code 1 only when a character is lost or added, a «لا» comes back reversed, or
fewer than PERCENT of the source characters come back in order (poppler moves
neutral characters at direction changes, so a few are out of place).
"""
import re
import subprocess
import sys
from difflib import SequenceMatcher


def fold(s: str) -> str:
    s = re.sub("[\u202a-\u202e]", "", s)
    s = s.replace("**", "")
    return re.sub(r"\s+", "", s)


def main() -> int:
    pdf, source = sys.argv[1], sys.argv[2]
    min_in_order = float(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[3] == "--min-in-order" else None
    got = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], capture_output=True, text=True, check=True).stdout
    want = fold(open(source, encoding="utf-8").read())
    got_f = fold(got)
    sm = SequenceMatcher(None, want, got_f, autojunk=False)
    in_order = sum(b.size for b in sm.get_matching_blocks())
    print(f"source characters (no white space): {len(want)}")
    print(f"extracted characters:               {len(got_f)}")
    print(f"source characters back in order:    {in_order} ({100.0 * in_order / max(1, len(want)):.2f} %)")
    print(f"«لا» in source / extracted:         {want.count('لا')} / {got_f.count('لا')}; reversed «ال» extra: {got_f.count('ال') - want.count('ال')}")
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag != "equal":
            print(f"  {tag}: source «{want[i1:i2]}» → extracted «{got_f[j1:j2]}»")
    if min_in_order is None:
        return 0 if got_f == want else 1
    same_chars = sorted(got_f) == sorted(want)
    reversed_la = got_f.count("ال") - want.count("ال") > 0
    ok = same_chars and not reversed_la and 100.0 * in_order / max(1, len(want)) >= min_in_order
    print("extraction check:", "passed" if ok else "FAILED", f"(at least {min_in_order} % in order, no character lost or added)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
