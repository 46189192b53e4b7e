"""Running a process and reading its CPU time; small statistics."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


@dataclass(frozen=True)
class Run:
    cpu: float  # user + system seconds of the child (RUSAGE_CHILDREN)
    wall: float
    stdout: str


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(args: Sequence[str], env: dict[str, str], check: bool = True) -> Run:
    """Run *args* to the end; its CPU time from RUSAGE_CHILDREN (the child's own)."""
    before, start = _children_cpu(), time.perf_counter()
    done = subprocess.run(
        list(args), env=env, cwd=REPO, capture_output=True, text=True, check=False
    )
    wall, cpu = time.perf_counter() - start, _children_cpu() - before
    if check and done.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return Run(cpu, wall, done.stdout)


def probe(module: str, *args: str, env: dict[str, str]) -> tuple[Run, dict[str, Any]]:
    """``python -m benchmarks.probes.MODULE ARGS``; its last line of output is JSON."""
    result = run([PYTHON, "-m", f"benchmarks.probes.{module}", *args], env)
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"probe {module} {args} printed nothing")
    return result, json.loads(lines[-1])


def median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    n = len(ordered)
    return ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2


def percentile(values: Sequence[float], p: float) -> float:
    """The *p*-th percentile (0-100), nearest rank."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    info: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "platform": sys.platform,
    }
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        info["memory_gib"] = round(
            int(Path("/proc/meminfo").read_text().split()[1]) / 1024 / 1024, 1
        )
        info["load_average"] = Path("/proc/loadavg").read_text().split()[:3]
    except OSError:
        pass
    try:
        import PySide6  # noqa: TID251 (its version, for the record)
        import sqlalchemy

        info["pyside6"], info["sqlalchemy"] = PySide6.__version__, sqlalchemy.__version__
    except ImportError:
        pass
    return info
