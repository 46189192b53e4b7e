"""Start a window and report, as JSON on standard output, when it first painted and how long
the list took to fill, with the longest the GUI thread was busy meanwhile.

    python -m benchmarks.probes.window bare|s47desk DB_URL paint|fill|large MEETING_ID

``bare`` is an empty QMainWindow; ``s47desk`` is the real start-up (``s47desk.cli.main``, as the
``s47desk`` command runs it), watched from an event filter and a 5 ms timer: nothing of
s47desk is changed for the measurement. ``paint`` exits at the first paint (the parent reads
the CPU time from RUSAGE_CHILDREN); ``fill`` waits for the list; ``large`` opens a meeting
and reports the peak memory (resident set, VmHWM).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time

WALL0 = time.perf_counter()


PROFILE = os.environ.get("S47_PROBE_PROFILE")
if PROFILE:  # for finding where the time goes: python -m pstats FILE
    import cProfile

    _profiler = cProfile.Profile()
    _profiler.enable()


def peak_rss_mib() -> float:
    """This program's peak resident set (VmHWM). Not ru_maxrss: Linux carries that across
    exec from the process that started it, so a benchmark that had just built its databases
    (180 MiB) gave every window it measured at least that much."""
    try:
        for line in open("/proc/self/status", encoding="ascii"):  # noqa: PTH123, SIM115
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> None:
    kind, url, mode = sys.argv[1], sys.argv[2], sys.argv[3]
    meeting = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    from PySide6.QtCore import QEvent, QObject, QTimer  # noqa: TID251 (a window probe)
    from PySide6.QtWidgets import QApplication, QMainWindow  # noqa: TID251

    qt = QApplication(sys.argv[:1])
    out: dict[str, float] = {}

    def report() -> None:
        out["done"] = 1
        out["maxrss_mib"] = peak_rss_mib()
        if PROFILE:
            _profiler.disable()
            _profiler.dump_stats(PROFILE)
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()
        window = state["window"]
        if kind == "s47desk" and window is not None and mode != "paint":  # closed as people do:
            window.close()  # type: ignore[attr-defined]  # the database is left clean
            qt.quit()
            return
        os._exit(0)

    state = {"painted": False, "last": 0.0, "worst": 0.0, "window": None}

    def tick() -> None:
        if "done" in out:
            return
        now = time.perf_counter()
        if state["painted"]:
            state["worst"] = max(state["worst"], now - state["last"])
            if os.environ.get("S47_PROBE_GAPS") and now - state["last"] > 0.03:
                print(
                    f"gap {1000 * (now - state['last']):.0f} ms at {now - WALL0:.3f}",
                    file=sys.stderr,
                )
        state["last"] = now
        window = state["window"]
        if mode != "paint" and window is not None and kind == "s47desk":
            listing = window.meeting_list  # type: ignore[attr-defined]
            if listing.rows and not listing.loading() and "filled_wall" not in out:
                out["filled_wall"] = now - WALL0
                out["filled_cpu"] = cpu()
                out["gui_worst_ms"] = state["worst"] * 1000
                out["rows"] = len(listing.rows)
                if mode == "fill":
                    report()
            if mode == "large" and "filled_wall" in out:
                doc = getattr(window, "doc", None)
                if doc is None or doc.meeting_id != meeting:
                    window.open_meeting(meeting)  # type: ignore[attr-defined]
                    for i in range(len(window.view.pages)):  # type: ignore[attr-defined]
                        window.view.show_step(i)  # type: ignore[attr-defined]
                        qt.processEvents()
                    out["opened_wall"] = time.perf_counter() - WALL0
                    report()

    class Watch(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
            if (
                event.type() == QEvent.Type.Paint
                and not state["painted"]
                and isinstance(obj, QMainWindow)
            ):
                state["painted"] = True
                state["window"] = obj
                state["last"] = time.perf_counter()

                def painted() -> None:
                    out["painted_wall"] = time.perf_counter() - WALL0
                    out["painted_cpu"] = cpu()
                    if mode == "paint" or kind == "bare":
                        report()

                QTimer.singleShot(0, painted)
            return False

    if os.environ.get("S47_PROBE_GAPS"):
        import gc

        started: dict[str, float] = {}

        def gc_timing(phase: str, info: dict[str, int]) -> None:
            if phase == "start":
                started["t"] = time.perf_counter()
            elif info["generation"] == 2:
                took = time.perf_counter() - started.get("t", 0)
                print(
                    f"gc gen2 {1000 * took:.0f} ms at {time.perf_counter() - WALL0:.3f}",
                    file=sys.stderr,
                )

        gc.callbacks.append(gc_timing)

    watch = Watch()
    qt.installEventFilter(watch)
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    timer.start()
    if kind == "bare":
        window = QMainWindow()
        window.show()
        qt.exec()
        return
    from s47desk.cli import main as s47desk

    sys.exit(s47desk(["--db", url]))


if __name__ == "__main__":
    main()
