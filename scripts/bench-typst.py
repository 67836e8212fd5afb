#!/usr/bin/env python3
"""Time Typst on the leaflet's words (bench/leaflet.typ) beside nashr's
leaflet, for machines without the `typst` binary: Typst through its Python
binding (`pip install typst`), in a fresh process and again in a warm one.

A fresh process's time is `python -c "import typst; typst.compile(...)"`
minus `python -c "import typst"` (the interpreter's own start), each the
median of RUNS runs; nashr's is `nashr render` of layouts/invitation-a5.toml
in the same run.

    scripts/bench-typst.py [RUNS]
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 20
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.chdir(ROOT)
try:
    import typst
except ImportError:
    sys.exit("the typst Python package is needed: pip install typst")
NASHR = os.path.join(ROOT, "target", "release", "nashr")
if not os.path.exists(NASHR):
    sys.exit("build nashr first: cargo build --release")


def median_ms(cmd):
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


with tempfile.TemporaryDirectory() as out:
    # A copy of the binary, as installed (see scripts/bench.sh).
    shutil.copy2(NASHR, os.path.join(out, "nashr"))
    NASHR = os.path.join(out, "nashr")
    typst_pdf = os.path.join(out, "typst.pdf")
    nashr_pdf = os.path.join(out, "nashr.pdf")
    compile_src = (
        f"import typst; typst.compile('bench/leaflet.typ', output={typst_pdf!r}, font_paths=['fonts'])"
    )
    base = median_ms([sys.executable, "-c", "import typst"])
    cold = median_ms([sys.executable, "-c", compile_src]) - base
    ours = median_ms([NASHR, "render", "layouts/invitation-a5.toml", "-o", nashr_pdf])
    compiler = typst.Compiler("bench/leaflet.typ", font_paths=["fonts"])
    compiler.compile()
    warm = []
    for _ in range(RUNS):
        start = time.perf_counter()
        compiler.compile()
        warm.append((time.perf_counter() - start) * 1000)
    print(f"Typst {typst.__version__}, fresh process (less the interpreter's start): {cold:.1f} ms")
    print(f"Typst, warm compiler, the same document again (memoised): {statistics.median(warm):.1f} ms")
    print(f"nashr render, fresh process: {ours:.1f} ms (Typst takes {cold / ours:.1f}× as long)")
    print(f"PDF sizes: Typst {os.path.getsize(typst_pdf)} bytes, nashr {os.path.getsize(nashr_pdf)} bytes")
