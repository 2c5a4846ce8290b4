"""One command at a time on a workbook: a lock file beside it while a command reads, works on and
saves it, so two commands on the same file never lose each other's work.

The lock is ``.~regcert-<name>.lock`` beside the workbook (beside the file a symbolic link points
to, so every route to it shares one lock). It is created with O_CREAT|O_EXCL — only one process
can — and says who holds it: process id, computer and since when. A second command waits up to
:data:`LOCK_WAIT_SECONDS`, then refuses with one line naming the holder. A lock left by a process
that is no longer running on this computer is taken over.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from regcert_xl.model.errors import WorkbookError

LOCK_WAIT_SECONDS = 10.0  # how long a second command waits for the first before refusing
POLL_SECONDS = 0.1


@dataclass(frozen=True)
class Holder:
    """Who holds a lock: the lock file's content."""

    pid: int
    host: str
    since: str

    @classmethod
    def me(cls) -> Holder:
        return cls(os.getpid(), socket.gethostname(), dt.datetime.now().isoformat(timespec="seconds"))

    @classmethod
    def parse(cls, text: str) -> Holder | None:
        fields = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
        try:
            return cls(int(fields["pid"]), fields["host"], fields.get("since", "?"))
        except (KeyError, ValueError):
            return None  # being written, or not ours: treated as held

    def text(self) -> str:
        return f"pid={self.pid}\nhost={self.host}\nsince={self.since}\n"

    def gone(self) -> bool:
        """True when the holder was a process on this computer that is no longer running."""
        return self.host == socket.gethostname() and not running(self.pid)

    def describe(self) -> str:
        return f"process {self.pid} on {self.host} since {self.since.replace('T', ' ')}"


def running(pid: int) -> bool:
    """Whether a process with this id is running on this computer."""
    if sys.platform == "win32":
        import ctypes

        kernel = ctypes.windll.kernel32
        handle = kernel.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return kernel.GetLastError() == 5  # access denied: it exists
        code = ctypes.c_ulong()
        kernel.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel.CloseHandle(handle)
        return code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def lock_path(book: Path) -> Path:
    """The lock file of a workbook (beside the file a link points to)."""
    real = Path(os.path.realpath(book))
    return real.with_name(f".~regcert-{real.name}.lock")


@contextmanager
def workbook_lock(book: str | Path, wait: float | None = None) -> Iterator[Path]:
    """Hold the workbook's lock for the block; wait up to ``wait`` seconds (default
    :data:`LOCK_WAIT_SECONDS`) for another command to finish, else raise WorkbookError."""
    path = lock_path(Path(book))
    acquire(path, Path(book), LOCK_WAIT_SECONDS if wait is None else wait)
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


def acquire(path: Path, book: Path, wait: float) -> None:
    deadline = time.monotonic() + wait
    while True:
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            seen = _read(path)
            holder = Holder.parse(seen)
            if holder is not None and holder.gone():
                take_over(path, seen)
                continue
            if time.monotonic() >= deadline:
                who = holder.describe() if holder else "another process"
                raise WorkbookError(f"{book.name} is being updated by another regcert-xl command ({who}): try again "
                                    f"when it has finished (if none is running, delete {path.name} beside it)") from None
            time.sleep(POLL_SECONDS)
            continue
        except OSError as exc:
            raise WorkbookError(f"{book.name}: the workbook cannot be locked for writing in its folder "
                                f"({exc.strerror or type(exc).__name__})") from None
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(Holder.me().text())
        return


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""  # released meanwhile: the next try takes it
    except OSError:
        return ""


def take_over(path: Path, seen: str) -> None:
    """Move a dead holder's lock aside — only one process can — and put it back if what was
    moved turns out to be a live holder's lock, taken between reading and moving."""
    aside = path.with_name(f"{path.name}.{os.getpid()}.stale")
    try:
        os.rename(path, aside)
    except FileNotFoundError:
        return
    try:
        if _read(aside) != seen:
            os.link(aside, path)
    except OSError:
        pass
    finally:
        aside.unlink(missing_ok=True)
