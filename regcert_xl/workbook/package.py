"""The workbook as a zip package: parts copied or replaced, and saved atomically.

A save writes a temporary file beside the target, flushes it to disk and renames it over the
target in one step, so a crash mid-save leaves the previous file as it was.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from regcert_xl.model.errors import WorkbookError
from regcert_xl.ooxml import xmlpart
from regcert_xl.ooxml.opc import Parts

PartWriter = Callable[[bytes], Iterator[bytes]]  # old part -> new part, in chunks


@contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target``; renamed over it when the block succeeds. A target
    reached through a symbolic link is the file the link points to (the link stays a link). A
    file system error (no permission, disk full) is one line naming ``target``, never the
    temporary file, and says the target is as it was."""
    shown = Path(target)
    target = Path(os.path.realpath(target))
    tmp: Path | None = None
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        os.close(fd)
        tmp = Path(name)
        yield tmp
        _same_mode(tmp, target)
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    except OSError as exc:
        raise not_saved(shown, exc) from None
    finally:
        if tmp is not None and tmp.exists():
            tmp.unlink()


def not_saved(target: Path, exc: OSError) -> WorkbookError:
    reason = exc.strerror or type(exc).__name__
    state = "it is as it was" if target.exists() else "nothing was written"
    return WorkbookError(f"{target}: could not be saved ({reason}): {state}")


def _same_mode(tmp: Path, target: Path) -> None:
    """The new file gets the old one's permissions, or the usual ones for a new file."""
    if target.exists():
        os.chmod(tmp, target.stat().st_mode & 0o7777)
    else:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def rewrite(source: Path, target: Path, replace: dict[str, PartWriter], *,
            add: dict[str, bytes] | None = None, drop: set[str] | None = None, compresslevel: int = 6) -> None:
    """Copy ``source`` to ``target`` part by part; parts in ``replace`` are rewritten by their
    writer, parts in ``drop`` left out and parts in ``add`` appended."""
    drop = drop or set()
    # streamed (spliced) parts are the big sheets: the package's default level for them is 1
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as new:
        for info in old.infolist():
            if info.filename in drop:
                continue
            data = old.read(info.filename)
            out_info = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            out_info.compress_type = zipfile.ZIP_DEFLATED
            out_info.external_attr = info.external_attr
            if info.filename in replace:
                _set_level(out_info, 1)
                with new.open(out_info, "w", force_zip64=True) as part:
                    for chunk in replace[info.filename](data):
                        part.write(chunk)
            else:
                new.writestr(out_info, data, compresslevel=level_for(len(data), compresslevel))
        for name, data in (add or {}).items():
            new.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data,
                         compress_type=zipfile.ZIP_DEFLATED, compresslevel=compresslevel)


# a worksheet's children that the schema puts after <hyperlinks>
_AFTER_HYPERLINKS = {"printOptions", "pageMargins", "pageSetup", "headerFooter", "rowBreaks", "colBreaks",
                     "customProperties", "cellWatches", "ignoredErrors", "smartTags", "drawing", "legacyDrawing",
                     "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems",
                     "tableParts", "extLst"}


def splice_rows(sheet: bytes, rows: Iterator[bytes], dimension: str, hyperlinks: bytes = b"") -> Iterator[bytes]:
    """A sheet part (the small one XlsxWriter wrote, without these rows) with ``rows`` added at
    the end of its sheetData (after the rows already there), its dimension set, and
    ``hyperlinks`` placed where the schema wants them."""
    for node in xmlpart.find(sheet, "dimension")[:1]:
        sheet = xmlpart.set_attribute(sheet, node, "ref", dimension)
    found = xmlpart.nodes(sheet)
    data = xmlpart.find(found, "sheetData")[0]
    if data.empty:
        sheet = xmlpart.splice(sheet, [(data.start, data.end, b"<sheetData></sheetData>")])
        found = xmlpart.nodes(sheet)
        data = xmlpart.find(found, "sheetData")[0]
    close_at = sheet.rindex(b"</", data.open_end, data.end)
    if hyperlinks:
        anchor = next((n for n in found if n.depth == 1 and n.start > data.end and n.local in _AFTER_HYPERLINKS),
                      None)
        at = anchor.start if anchor is not None else sheet.rindex(b"</")
        sheet = xmlpart.splice(sheet, [(at, at, hyperlinks)])
    yield sheet[:close_at]
    yield from rows
    yield sheet[close_at:]


def _set_level(info: zipfile.ZipInfo, level: int) -> None:
    """The deflate level of one entry written through ``ZipFile.open(info, "w")``.

    Big parts are streamed, so ``writestr(..., compresslevel=)`` (whole part in memory) is no
    use; ``ZipFile.open`` with a name instead of a ZipInfo takes the archive's level but stamps
    the entry with the current time, which would make two refreshes of the same workbook differ.
    ``ZipInfo.compress_level`` is public from Python 3.13; before that the same attribute is
    ``_compresslevel`` (what ``writestr`` itself sets), so that is used there."""
    if sys.version_info >= (3, 13):
        info.compress_level = level
    else:
        info._compresslevel = level  # type: ignore[attr-defined]  # private before 3.13, see above


BIG_PART = 1_000_000  # bytes: parts this large are deflated at a faster level


def level_for(size: int, compresslevel: int) -> int:
    """Big sheets compress nearly as well at level 1 and several times faster."""
    return 1 if size > BIG_PART else compresslevel


def write_parts(target: Path, parts: Mapping[str, bytes], order: list[str], compresslevel: int = 6) -> None:
    """A package from parts: those in ``order`` first, in that order, then the rest. Parts
    still in a zip or produced as streams (see :class:`~regcert_xl.ooxml.opc.Parts`) are
    copied chunk by chunk, never whole in memory."""
    names = [n for n in order if n in parts] + sorted(n for n in parts if n not in set(order))
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as z:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            size = parts.size(name) if isinstance(parts, Parts) else len(parts[name])
            if size is not None and size <= BIG_PART:
                z.writestr(info, parts[name], compresslevel=compresslevel)
                continue
            _set_level(info, 1)
            with z.open(info, "w", force_zip64=True) as out:
                for chunk in (parts.chunks(name) if isinstance(parts, Parts) else (parts[name],)):
                    out.write(chunk)


def save_with_backup(book: Path, write: Callable[[Path], None]) -> Path:
    """Write a new version of ``book`` atomically, keeping the previous one as ``<book>.bak``.

    Order matters for crash safety: the new file is complete on disk before the backup is
    taken and the new file renamed over the old; at every moment ``book`` is a whole workbook."""
    backup = book.with_name(book.name + ".bak")
    aside: list[Path | None] = []  # the earlier .bak, set aside until the new workbook is in place
    try:
        with atomic_path(book) as tmp:
            write(tmp)
            aside.append(_set_aside(backup))
            with atomic_path(backup) as bak:
                shutil.copyfile(book, bak)
    except BaseException:
        if aside:  # the save failed after the backup was taken: the earlier .bak comes back
            _put_back(aside[0], backup)
        raise
    if aside[0] is not None:
        aside[0].unlink(missing_ok=True)
    return backup


def _set_aside(backup: Path) -> Path | None:
    if not backup.exists():
        return None
    aside = backup.with_name(f".{backup.name}.{os.getpid()}.previous")
    os.replace(backup, aside)
    return aside


def _put_back(aside: Path | None, backup: Path) -> None:
    if aside is not None:
        os.replace(aside, backup)
    else:
        backup.unlink(missing_ok=True)
