#!/usr/bin/env python3
"""Time commands interleaved: A B A B … (the order flips every round), so a
slow minute of a noisy machine falls on all of them alike. Prints the median,
mean and 10th percentile of each command's wall time, process start included.

    scripts/compare.py 200 "old/nashr render layouts/invitation-a5.toml -o /tmp/a.pdf" \
                           "new/nashr render layouts/invitation-a5.toml -o /tmp/b.pdf"

Compare copies of binaries that sit alike (both copied, as `cargo install`
copies): a binary the linker has just written starts about 0.5 ms slower on
this machine than a copy of it (see scripts/bench.sh).
"""
import statistics
import subprocess
import sys
import time


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    rounds = int(sys.argv[1])
    commands = [c.split() for c in sys.argv[2:]]
    times: list[list[float]] = [[] for _ in commands]
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    for c in commands:
        for _ in range(5):
            subprocess.run(c, check=True, **quiet)
    for r in range(rounds):
        order = range(len(commands)) if r % 2 == 0 else reversed(range(len(commands)))
        for k in order:
            start = time.perf_counter()
            subprocess.run(commands[k], check=True, **quiet)
            times[k].append(time.perf_counter() - start)
    for c, t in zip(commands, times):
        t.sort()
        ms = lambda v: f"{v * 1000:6.2f} ms"
        print(f"median {ms(statistics.median(t))}  mean {ms(statistics.mean(t))}  p10 {ms(t[len(t) // 10])}  {' '.join(c)}")


if __name__ == "__main__":
    main()
