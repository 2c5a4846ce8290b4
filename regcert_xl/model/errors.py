"""The error model: what the user can fix, and what is our bug.

- :class:`UserError` — the input, a setting, an argument or the workbook's state stops the work
  and the user can put it right. Its message is one line in the user's words. The CLI exits 2
  with it; the Excel buttons show it in a message box.
- Anything else raised is a bug in regcert-xl. The CLI exits 3, writes the details to a crash
  report and says where it is (:func:`write_crash_report`), never a traceback on screen.

Data problems inside readable records are not errors at all: they are Issue rows.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import traceback
from pathlib import Path


def one_line(text: object, limit: int = 1000) -> str:
    """A message as one line: line breaks from file names or values shown as ⏎, very long
    values cut."""
    flat = " ⏎ ".join(str(text).replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class UserError(Exception):
    """Something the user can put right; the message (one line) says what and where."""

    exit_code = 2

    def __init__(self, message: object):
        super().__init__(one_line(message))


class MissingInput(UserError):
    """A command was not given what it needs (an export, a store, a chosen learner)."""


class WorkbookError(UserError):
    """The workbook is not in a state the command can work with (open, locked, not ours)."""


CRASH_DIR_ENV = "REGCERT_CRASH_DIR"


def crash_dir() -> Path:
    """Where crash reports go: $REGCERT_CRASH_DIR, else a regcert-xl folder in the temp folder."""
    return Path(os.environ.get(CRASH_DIR_ENV) or Path(tempfile.gettempdir()) / "regcert-xl")


def write_crash_report(exc: BaseException, command: str) -> Path | None:
    """The traceback of a bug, in a file only this user can read; its path, or None when even
    that cannot be written."""
    try:
        folder = crash_dir()
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        path = folder / f"crash-{stamp}-{os.getpid()}.txt"
        text = "".join(traceback.format_exception(exc))
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(f"regcert-xl {command}\n{text}")
        return path
    except OSError:
        return None
