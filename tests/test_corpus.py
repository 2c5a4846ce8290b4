"""Every file of the adversarial corpus (tests/corpus.py) gets a clear answer from
``regcert-xl validate``: exit 2 and one line naming the file, or the issues found in what is
readable — never a traceback — within 10 seconds and 500 MB of memory."""

import os
import subprocess
import sys
import time

import pytest

from tests.corpus import CASES

SECONDS, MEGABYTES = 10, 500


@pytest.mark.slow
@pytest.mark.parametrize("name", list(CASES))
def test_hostile_input_gets_a_clear_answer(tmp_path, name):
    case = CASES[name]
    path = case.make(tmp_path)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "regcert_xl", "validate", "-q", str(path), "--format", "csv"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = (stream.read().decode("utf-8", "replace") for stream in (proc.stdout, proc.stderr))
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds, peak_mb = time.perf_counter() - start, usage.ru_maxrss / 1024
    code = os.waitstatus_to_exitcode(status)
    assert "Traceback" not in err and "Traceback" not in out
    assert code in case.exits, f"exit {code}: {err or out[:500]}"
    if code == 2:
        lines = err.strip().splitlines()
        assert len(lines) == 1 and path.name in lines[0] and case.says in lines[0], err
    else:
        assert case.says in out, out[:2000]
    assert seconds < SECONDS, f"{seconds:.1f} s"
    assert peak_mb < MEGABYTES, f"{peak_mb:.0f} MB"
