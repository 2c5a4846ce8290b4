"""Benchmark smoke run at S size (5,000 learners): build and refresh stay within twice the floor
measured in the same run — a ratio, so it holds on a slow or busy machine. The full benchmark
(S, L, XL, with the pandas+openpyxl baseline) is ``python -m benchmarks.run``."""

import sys

import pytest

from benchmarks.data import ensure
from benchmarks.run import AS_OF, measure

pytestmark = [pytest.mark.bench, pytest.mark.slow]
CLI = [sys.executable, "-m", "regcert_xl"]


def test_s_build_and_refresh_within_twice_the_floor(tmp_path):
    q, a = ensure("S")
    book = tmp_path / "RegCert.xlsx"
    build_seconds, _rss, _out = measure([*CLI, "build", "-q", str(q), "-a", str(a), "--as-of", AS_OF, "-o", str(book)])
    refresh_seconds, _rss, _out = measure([*CLI, "refresh", str(book), "--as-of", AS_OF])
    build_floor = float(measure([sys.executable, "-m", "benchmarks.floor", str(q), str(a), str(book)])[2])
    refresh_floor = float(measure([sys.executable, "-m", "benchmarks.floor", str(book), str(book)])[2])
    assert build_seconds / build_floor <= 2.0, f"build {build_seconds:.1f}s vs floor {build_floor:.1f}s"
    assert refresh_seconds / refresh_floor <= 2.0, f"refresh {refresh_seconds:.1f}s vs floor {refresh_floor:.1f}s"
