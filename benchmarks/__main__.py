"""The s47desk benchmark suite: every speed target, each against its bare floor in the same run.

    python -m benchmarks [--sizes 1000,5000,10000] [--repeat 5] [--work DIR] [--json]
                         [--chart FILE.png]

Makes (or reuses) databases of varied meetings through the public import path
(benchmarks/generate.py), then measures, turn about with each floor: the window's first paint
and the list filling, search and filter, typing with autosave, one autosave commit, ``list
--json``, ``check`` of one meeting, the Word record and signing of a large draft, the commands
that never open the database, and the window's memory with the large meeting open. CPU times
come from RUSAGE_CHILDREN (the measured process's own); medians of *repeat* runs.

Not part of the test suite: it takes minutes and needs a quiet machine to mean much.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from benchmarks.generate import Manifest, databases, environment
from benchmarks.measure import PYTHON, REPO, machine, median, probe, run

SMALL = 0  # the demo meetings and the large one only


@dataclass
class Result:
    name: str
    size: int | None  # meetings, where it matters
    value: float
    floor: float | None
    unit: str
    target: str
    met: bool
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return self.value / self.floor if self.floor else None


def compiled() -> None:
    """s47desk's bytecode written before anything is timed, as installing the package writes
    it: with PYTHONDONTWRITEBYTECODE set (as in some shells and CI) every measured command
    otherwise compiled s47desk from source, a tenth of a second the floors never pay."""
    import compileall

    compileall.compile_dir(REPO / "s47desk", quiet=1)


def _ratio_target(value: float, floor: float, most: float) -> bool:
    return value <= most * floor


class Suite:
    def __init__(self, work: Path, sizes: list[int], repeat: int, say: Callable[[str], None]):
        self.work, self.sizes, self.repeat, self.say = work, sizes, repeat, say
        self.env = environment(work)
        compiled()
        self.results: list[Result] = []
        self.dbs: dict[int, Manifest] = {}

    # -- helpers -----------------------------------------------------------------------------
    def add(self, result: Result) -> None:
        self.results.append(result)
        ratio = f"{result.ratio:.2f}×" if result.ratio is not None else "—"
        self.say(
            f"  {result.name} [{result.size or ''}]: {result.value:.3f} {result.unit} "
            f"(floor {result.floor if result.floor is None else round(result.floor, 3)}, "
            f"{ratio}) {'met' if result.met else 'NOT met'}"
        )

    def scratch(self, size: int, name: str = "scratch") -> Path:
        """A copy of the database of *size* that a measurement may write to."""
        source = self.dbs[size].path
        copy = self.work / f"{name}-{size}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(source, copy)
        return copy

    def url(self, path: Path) -> str:
        return f"sqlite:///{path}"

    def turns(self, ours: Callable[[], float], floor: Callable[[], float]) -> tuple[float, float]:
        """Medians of *repeat* runs of each, turn about (after one warm-up of each)."""
        ours(), floor()
        a, b = [], []
        for i in range(self.repeat):
            if i % 2:
                b.append(floor())
                a.append(ours())
            else:
                a.append(ours())
                b.append(floor())
        return median(a), median(b)

    def cli(self, *args: str) -> Callable[[], float]:
        return lambda: run([PYTHON, "-m", "s47desk.cli", *args], self.env).cpu

    # -- the measurements ----------------------------------------------------------------------
    def window(self, size: int) -> None:
        # The first paint ends the process there and then (its CPU time is all start-up), so
        # on a copy of its own: the database is not closed cleanly by it.
        painted = self.url(self.scratch(size, "paint"))
        ours, floor = self.turns(
            lambda: probe("window", "s47desk", painted, "paint", env=self.env)[0].cpu,
            lambda: probe("window", "bare", painted, "paint", env=self.env)[0].cpu,
        )
        url = self.url(self.scratch(size))
        if size == 5000 or len(self.sizes) == 1:
            self.add(Result("first paint of the window", size, ours, floor, "s CPU", "≤ 1.3×",
                            _ratio_target(ours, floor, 1.3)))  # fmt: skip
        fills, worst = [], []
        for _ in range(max(3, self.repeat // 2)):
            _run, out = probe("window", "s47desk", url, "fill", env=self.env)
            fills.append(out["filled_wall"] - out["painted_wall"])
            worst.append(out["gui_worst_ms"])
        fill = median(fills)
        # The brief's target is at 5,000 meetings ("first painted ... with 5,000 meetings; the
        # list complete within 1 s more"); the other sizes show how it grows.
        wanted = size == 5000 or len(self.sizes) == 1
        self.add(Result("list complete after the first paint", size, fill, None, "s wall",
                        "≤ 1 s" if wanted else "(for the record)",
                        fill <= 1.0 or not wanted))  # fmt: skip
        stall = median(worst)
        self.add(Result("longest GUI-thread stall while it fills", size, stall, None, "ms",
                        "≤ 50 ms", stall <= 50))  # fmt: skip

    def search(self, size: int) -> None:
        _run, out = probe("inproc", "search", str(self.scratch(size)), env=self.env)
        self.add(Result("search and filter, incl. clearing (p95)", size, out["p95_ms"],
                        out["floor_p95_ms"], "ms", "p95 < 50 ms", out["p95_ms"] < 50,
                        f"{out['steps']} steps, worst {out['max_ms']:.0f} ms"))  # fmt: skip

    def typing(self, size: int) -> None:
        manifest = self.dbs[size]
        _run, out = probe(
            "inproc", "typing", str(self.scratch(size)), str(manifest.large_id), env=self.env
        )
        self.add(Result("keystroke to screen, long text, autosave on (p99)", size,
                        out["p99_ms"], out["floor_p99_ms"], "ms", "p99 < 16 ms",
                        out["p99_ms"] < 16,
                        f"{out['keys']} keys in bursts with pauses; p50 {out['p50_ms']:.1f} ms, "
                        f"worst {out['max_ms']:.0f} ms"))  # fmt: skip

    def autosave(self, size: int) -> None:
        _run, out = probe("inproc", "autosave", str(self.scratch(size)), "300", env=self.env)
        self.add(Result("one autosave edit + commit (p50)", size, out["p50_ms"],
                        out["floor_p50_ms"], "ms", "≤ 2×",
                        _ratio_target(out["p50_ms"], out["floor_p50_ms"], 2),
                        "floor: sqlite3 WAL FULL UPDATE + COMMIT"))  # fmt: skip
        self.add(Result("one autosave edit + commit (p99)", size, out["p99_ms"],
                        out["floor_p99_ms"], "ms", "< 20 ms", out["p99_ms"] < 20))  # fmt: skip

    def listing(self, size: int) -> None:
        db = self.dbs[size].path
        statements = self.work / f"statements-{size}.json"
        probe("inproc", "statements", str(db), str(statements), env=self.env)
        ours, floor = self.turns(
            self.cli("--db", self.url(db), "list", "--json"),
            lambda: probe("floors", "select", str(db), str(statements), env=self.env)[0].cpu,
        )
        self.add(Result("list --json", size, ours, floor, "s CPU", "≤ 5×",
                        _ratio_target(ours, floor, 5),
                        "floor: sqlite3 SELECT of the rows the list reads"))  # fmt: skip

    def check(self) -> None:
        values: dict[int, float] = {}
        for size in self.sizes:
            manifest = self.dbs[size]
            url = self.url(manifest.path)
            runs = [self.cli("--db", url, "check", str(manifest.signed_id), "--json")()
                    for _ in range(self.repeat + 1)][1:]  # fmt: skip
            values[size] = median(runs)
        smallest = values[min(values)]
        for size, value in values.items():
            self.add(Result("check of one signed meeting", size, value, smallest, "s CPU",
                            f"constant (≤ 1.2× at {min(values):,})",
                            value <= 1.2 * smallest))  # fmt: skip

    def record(self, size: int) -> None:
        manifest = self.dbs[size]
        db = self.scratch(size)
        spec = self.work / "record-content.json"
        _run, out = probe("inproc", "record", str(db), str(manifest.large_id), str(spec),
                          env=self.env)  # fmt: skip
        note = f"{out['paragraphs']} paragraphs, {out['tables']} tables"
        self.add(Result("Word record of a large draft (in process)", size, out["record"],
                        out["record_floor"], "s CPU", "≤ 1.5×",
                        _ratio_target(out["record"], out["record_floor"], 1.5),
                        f"floor: python-docx, same paragraphs and tables; {note}"))  # fmt: skip
        self.add(Result("signing at sign-off: record + family copy, signed and checked",
                        size, out["sign"], out["sign_floor"], "s CPU", "≤ 1.5×",
                        _ratio_target(out["sign"], out["sign_floor"], 1.5),
                        "floor: python-docx writing both documents' content"))  # fmt: skip
        target = self.work / "record.docx"
        ours, floor = self.turns(
            self.cli("--db", self.url(db), "record", str(manifest.large_id), "-o", str(target)),
            lambda: probe("floors", "docx", str(spec), env=self.env)[0].cpu,
        )
        self.add(Result("record command of a large draft", size, ours, floor, "s CPU", "≤ 2×",
                        _ratio_target(ours, floor, 2),
                        "floor: a python-docx script writing the same content"))  # fmt: skip

    def commands(self) -> None:
        floor_fn = lambda: run([PYTHON, "-c", "import holidays"], self.env).cpu  # noqa: E731
        for args in (["--version"], ["--help"], ["deadlines", "--referral", "2026-11-23"],
                     ["schema"], ["checks"], ["forms"]):  # fmt: skip
            ours, floor = self.turns(self.cli(*args), floor_fn)
            self.add(Result(f"s47desk {args[0]}", None, ours, floor, "s CPU", "≤ 2×",
                            _ratio_target(ours, floor, 2),
                            'floor: python -c "import holidays"'))  # fmt: skip

    def memory(self, size: int) -> None:
        """The window's peak memory with the large meeting open and every step shown: on the
        demo database (the target) and on the largest (for the record)."""
        manifest = self.dbs[size]
        url = self.url(self.scratch(size))
        _r, ours = probe("window", "s47desk", url, "large", str(manifest.large_id), env=self.env)
        _r, bare = probe("window", "bare", url, "paint", env=self.env)
        extra = ours["maxrss_mib"] - bare["maxrss_mib"]
        target = size == SMALL
        self.add(Result("peak memory, window with the large meeting open", size or 7,
                        ours["maxrss_mib"], bare["maxrss_mib"], "MiB",
                        "≤ bare + 60 MiB" if target else "(for the record)",
                        extra <= 60 or not target,
                        f"{extra:.0f} MiB over the bare window"))  # fmt: skip

    # -- all of it -----------------------------------------------------------------------------
    def run(self) -> None:
        started = time.perf_counter()
        self.dbs = databases(self.work, [SMALL, *self.sizes], say=self.say)
        self.say(f"databases ready in {time.perf_counter() - started:.0f} s")
        largest, middle = max(self.sizes), sorted(self.sizes)[len(self.sizes) // 2]
        steps: list[tuple[str, Callable[[], None]]] = [("commands", self.commands)]
        steps += [(f"list {n}", lambda n=n: self.listing(n)) for n in self.sizes]
        steps += [("check", self.check)]
        steps += [(f"window {n}", lambda n=n: self.window(n)) for n in self.sizes]
        steps += [(f"search {n}", lambda n=n: self.search(n)) for n in self.sizes]
        steps += [(f"autosave {n}", lambda n=n: self.autosave(n)) for n in self.sizes]
        steps += [(f"typing {largest}", lambda: self.typing(largest))]
        steps += [(f"record {middle}", lambda: self.record(middle))]
        steps += [("memory, demo + large meeting", lambda: self.memory(SMALL))]
        steps += [(f"memory {largest}", lambda: self.memory(largest))]
        for title, step in steps:
            self.say(f"{title}…")
            step()
        self.say(f"done in {time.perf_counter() - started:.0f} s")


def table(results: list[Result]) -> str:
    rows = [("what", "meetings", "value", "floor", "ratio", "target", "met")]
    for r in results:
        rows.append((
            r.name,
            f"{r.size:,}" if r.size else "",
            f"{r.value:.3g} {r.unit}",
            f"{r.floor:.3g}" if r.floor is not None else "—",
            f"{r.ratio:.2f}×" if r.ratio is not None else "—",
            r.target,
            "yes" if r.met else "**no**",
        ))  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |"
             for row in rows]  # fmt: skip
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--sizes", default="1000,5000,10000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--work", type=Path, default=REPO / "benchmarks" / ".work")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--chart", type=Path, help="draw how each grows with the meetings (PNG)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    say = (lambda m: print(m, file=sys.stderr)) if args.json else print
    suite = Suite(args.work.resolve(), sizes, args.repeat, say)
    suite.run()
    report = {
        "machine": machine(),
        "results": [asdict(r) | {"ratio": r.ratio} for r in suite.results],
    }
    (args.work / "results.json").write_text(json.dumps(report, indent=2))
    if args.chart:
        from benchmarks.chart import draw

        draw(report, args.chart)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print()
        print(table(suite.results))
        print()
        print(f"machine: {json.dumps(report['machine'])}")
    return 0 if all(r.met for r in suite.results) else 1


if __name__ == "__main__":
    sys.exit(main())
