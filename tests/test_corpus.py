"""Every file of the adversarial corpus (tests/corpus.py) gets a clear answer from
``regcert-xl validate``: exit 2 and one line naming the file, or the issues found in what is
readable — never a traceback — within 500 MB of memory. The time limit (10 s a case) is a
benchmark, not a test: ``python -m benchmarks.corpus``."""

import os
import subprocess
import sys

import pytest

from tests.corpus import CASES

MEGABYTES = 500


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CASES))
def test_hostile_input_gets_a_clear_answer(tmp_path, name):
    case = CASES[name]
    path = case.make(tmp_path)
    proc = subprocess.Popen([sys.executable, "-m", "regcert_xl", "validate", "-q", str(path), "--format", "csv"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = (stream.read().decode("utf-8", "replace") for stream in (proc.stdout, proc.stderr))
    _pid, status, usage = os.wait4(proc.pid, 0)
    peak_mb = usage.ru_maxrss / 1024
    code = os.waitstatus_to_exitcode(status)
    assert "Traceback" not in err and "Traceback" not in out
    assert code in case.exits, f"exit {code}: {err or out[:500]}"
    if code == 2:
        lines = err.strip().splitlines()
        assert len(lines) == 1 and path.name in lines[0] and case.says in lines[0], err
    else:
        assert case.says in out, out[:2000]
    assert peak_mb < MEGABYTES, f"{peak_mb:.0f} MB"
