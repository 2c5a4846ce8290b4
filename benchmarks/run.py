"""Run the benchmarks: build, refresh and validate at each size, with wall time and peak memory
(the whole process's RSS), against the floor measured in the same run, and the pandas+openpyxl
baseline.

    python -m benchmarks.run                 # S and L
    python -m benchmarks.run S L XL          # and the Excel-limit size
    python -m benchmarks.run --no-baseline L # skip the slow baseline

Results go to benchmarks/results/<size>.json and are printed as a table.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

from benchmarks.data import DATA, HERE, ensure

PY = sys.executable
AS_OF = "2026-11-23"


def measure(args: list[str], quiet: bool = True) -> tuple[float, float, str]:
    """(wall seconds, peak RSS MB, stdout) of a command run as its own process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL if quiet else None, text=True)
    out = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"failed: {' '.join(args)}")
    return wall, usage.ru_maxrss / 1024, out.strip()


def run_size(size: str, baseline: bool) -> dict:
    q, a = ensure(size)
    info = json.loads((DATA / size / "info.json").read_text())
    book = DATA / size / "RegCert.xlsx"
    for stale in (book, book.with_name(book.name + ".bak"), book.with_name(book.name + ".history.sqlite")):
        stale.unlink(missing_ok=True)
    cli = [PY, "-m", "regcert_xl"]
    result = {"size": size, **info}
    result["build"] = measure([*cli, "build", "-q", str(q), "-a", str(a), "--as-of", AS_OF, "-o", str(book)])[:2]
    result["refresh"] = measure([*cli, "refresh", str(book), "--as-of", AS_OF])[:2]
    result["validate"] = measure([*cli, "validate", "-q", str(q), "-a", str(a), "--as-of", AS_OF, "--format", "csv"])[:2]
    result["compute"] = float(measure([PY, "-m", "benchmarks.compute", str(q), str(a)])[2])
    result["floor"] = float(measure([PY, "-m", "benchmarks.floor", str(q), str(a), str(book)])[2])
    result["refresh_floor"] = float(measure([PY, "-m", "benchmarks.floor", str(book), str(book)])[2])
    if baseline:
        result["baseline"] = float(measure([PY, "-m", "benchmarks.baseline", str(book)])[2])
    result["build_ratio"] = result["build"][0] / result["floor"]
    result["refresh_ratio"] = result["refresh"][0] / result["refresh_floor"]
    result["workbook_mb"] = book.stat().st_size / 1e6
    return result


def table(results: list[dict]) -> str:
    lines = ["| size | records (quals / assessments) | command | time (s) | peak RSS (MB) | ÷ floor |",
             "|---|---|---|---|---|---|"]
    for r in results:
        rows = f"{r['qualifications']:,} / {r['assessments']:,}"
        for command in ("build", "refresh", "validate"):
            seconds, rss = r[command]
            ratio = f"{r[command + '_ratio']:.2f}" if command + "_ratio" in r else ""
            lines.append(f"| {r['size']} | {rows} | {command} | {seconds:.1f} | {rss:,.0f} | {ratio} |")
        lines.append(f"| {r['size']} | | compute only (no I/O) | {r['compute']:.2f} | | |")
        lines.append(f"| {r['size']} | | build floor: CSV read + XlsxWriter constant_memory | {r['floor']:.1f} | | 1.00 |")
        if "refresh_floor" in r:
            lines.append(f"| {r['size']} | | refresh floor: calamine read of the record sheets + XlsxWriter "
                         f"constant_memory | {r['refresh_floor']:.1f} | | 1.00 |")
        if "baseline" in r:
            lines.append(f"| {r['size']} | | baseline: pandas + openpyxl to_excel | {r['baseline']:.1f} | | "
                         f"{r['baseline'] / r['floor']:.2f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", default=["S", "L"])
    parser.add_argument("--no-baseline", action="store_true", help="skip pandas+openpyxl (slow at large sizes)")
    args = parser.parse_args()
    results_dir = HERE / "results"
    results_dir.mkdir(exist_ok=True)
    results = []
    for size in args.sizes:
        print(f"running {size}…", file=sys.stderr)
        result = run_size(size, baseline=not args.no_baseline and size != "XL")
        (results_dir / f"{size}.json").write_text(json.dumps(result, indent=1))
        results.append(result)
    print(table(results))


if __name__ == "__main__":
    main()
