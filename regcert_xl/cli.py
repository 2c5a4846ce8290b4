"""`regcert-xl`: one thin command per verb. Exit 0 = fine, 1 = errors in the data,
2 = input unusable (one line on stderr, never a traceback)."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from regcert_xl import __version__, api
from regcert_xl.model.errors import UserError, write_crash_report
from regcert_xl.model.issues import public
from regcert_xl.model.profiles import profile_names
from regcert_xl.output import emit
from regcert_xl.progress import Progress

EXIT_OK, EXIT_DATA_ERRORS, EXIT_UNUSABLE, EXIT_FAILED = 0, 1, 2, 3

stderr = Console(stderr=True, highlight=False)


class BarProgress:
    """A progress line on stderr (only when stderr is a terminal)."""

    def __init__(self, console: Console):
        self.console = console
        self.enabled = console.is_terminal

    def update(self, message: str, fraction: float) -> None:
        if self.enabled:
            self.console.print(f"[dim]{fraction:4.0%}  {message}…[/dim]", end="\r")


def progress() -> Progress:
    return BarProgress(stderr)


def friendly(command: Callable[..., int | None]) -> Callable[..., None]:
    """Run a command; turn unusable input into one line on stderr and exit 2."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            code = command(*args, **kwargs)
        except UserError as exc:
            _fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            _fail("stopped", 130)
        except click.exceptions.Exit:
            raise
        except Exception as exc:  # never a traceback for the user
            if os.environ.get("REGCERT_DEBUG"):
                raise
            where = write_crash_report(exc, command.__name__)
            saved = f"the details are in {where}" if where else "the details could not be saved"
            _fail(f"regcert-xl failed unexpectedly ({type(exc).__name__}): this is a bug, not your data; "
                  f"{saved} (REGCERT_DEBUG=1 shows them here)", EXIT_FAILED)
        sys.exit(code or EXIT_OK)

    return run


def say(message: str) -> None:
    """A message for the user on stderr, one line, unwrapped."""
    click.echo(message, err=True)


def _fail(message: str, code: int) -> None:
    click.echo(f"regcert-xl: {message}", err=True)
    sys.exit(code)


source_option = click.option(
    "--source", "source", multiple=True, metavar="NAME",
    help="The system the export came from, when detecting it from the headers is not wanted: "
         + "; ".join(f"'{name}'" for name in profile_names()) + ". Repeat to name the assessments export's source too.")


def input_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The options every command that reads exports takes."""
    options = [
        click.option("--qualifications", "-q", "qualifications", multiple=True, required=True,
                     type=click.Path(path_type=Path),
                     help="Qualifications export (.csv, .xlsx, .xlsm, OData .json); repeat for several pages."),
        click.option("--assessments", "-a", "assessments", multiple=True, type=click.Path(path_type=Path),
                     help="Assessments export; repeat for several pages."),
        click.option("--settings", "settings", type=click.Path(path_type=Path),
                     help="Settings file (default: regcert.toml beside the qualifications export)."),
        click.option("--as-of", "as_of", metavar="DATE", help="Evaluate as on this date (default today)."),
        source_option,
    ]
    for option in reversed(options):
        command = option(command)
    return command


def format_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
                        show_default=True, help="Output format.")(command)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="regcert-xl")
def main() -> None:
    """Registration & certification and EPA tracking for exams teams."""


@main.command()
@input_options
@format_option
@friendly
def validate(qualifications: tuple[Path, ...], assessments: tuple[Path, ...], settings: Path | None,
             as_of: str | None, source: tuple[str, ...], fmt: str) -> int:
    """Check both exports and list every issue found."""
    report = api.validate(qualifications, assessments or None, settings=settings, as_of=as_of,
                          progress=progress(), source=source)
    emit(public(report.issues), fmt, sys.stdout, title="Issues", console=Console(), style_column="severity",
         table_columns=["severity", "code", "sheet", "row", "column", "message"])
    if fmt == "table":
        Console().print(summary_line(report))
    return EXIT_OK if report.valid else EXIT_DATA_ERRORS


def summary_line(report: api.ValidationReport) -> str:
    ctx = report.context
    parts = [f"{t.label} ({t.profile}): {len(t):,} records" for t in ctx.tables()]
    c = report.counts
    verdict = "[green]no errors[/green]" if report.valid else f"[bold red]{c['error']:,} errors[/bold red]"
    return f"{'; '.join(parts)} — {verdict}, {c['warning']:,} warnings, {c['info']:,} info"


force_option = click.option(
    "--force", is_flag=True,
    help="Replace a workbook already at the output (its own sheets, columns and comments go; kept as <output>.bak). "
         "Without it an existing workbook is refused: refresh or import it instead.")


def previous_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--previous", type=click.Path(path_type=Path), multiple=True,
                        help="An earlier qualifications export: status moves are judged against it.")(command)


def reading_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """Exports (optional when rebuilding from history), settings, as-of, previous, store, as-at."""
    options = [
        click.option("--qualifications", "-q", "qualifications", multiple=True, type=click.Path(path_type=Path),
                     help="Qualifications export (.csv, .xlsx, .xlsm, OData .json); repeat for several pages."),
        click.option("--assessments", "-a", "assessments", multiple=True, type=click.Path(path_type=Path),
                     help="Assessments export; repeat for several pages."),
        click.option("--settings", "settings", type=click.Path(path_type=Path), help="Settings file."),
        click.option("--as-of", "as_of", metavar="DATE", help="Evaluate as on this date (default today)."),
        click.option("--store", metavar="URL", help="History store (SQLAlchemy URL): dates and moves from history."),
        click.option("--as-at", "as_at", metavar="DATE", help="The records as they stood on DATE, from --store."),
        source_option,
    ]
    for option in reversed(options):
        command = option(command)
    return command


@main.command()
@reading_options
@previous_option
@format_option
@friendly
def flags(**options: Any) -> int:
    """One row per qualification record with its flag, action and due date."""
    from regcert_xl.reports import flag_list

    return list_rows(flag_list.build, "Flags", ["uln", "learner", "qualification", "status", "flag", "action", "owner"],
                     **options)


@main.command()
@reading_options
@previous_option
@format_option
@friendly
def actions(**options: Any) -> int:
    """The shopping list: one row per open action, sorted by due date."""
    from regcert_xl.reports import actions as actions_report

    return list_rows(actions_report.build, "Actions", ["learner", "uln", "qualification", "flag", "action", "owner"],
                     **options)


def list_rows(build: Callable[[Any], Any], title: str, table_columns: list[str], *,
              qualifications: tuple[Path, ...], assessments: tuple[Path, ...], settings: Path | None,
              as_of: str | None, store: str | None, as_at: str | None, source: tuple[str, ...],
              previous: tuple[Path, ...], fmt: str) -> int:
    """The exports (or the store as at a date) evaluated and listed by ``build``, after a line
    saying how each export was read."""
    ev = api.evaluate(qualifications or None, assessments or None, settings=settings, as_of=as_of,
                      previous=previous or None, store=store, as_at=as_at, progress=progress(), source=source)
    frame = build(ev)
    say(sources_line(ev))
    emit(frame, fmt, sys.stdout, title=title, console=Console(), style_column="rag", table_columns=table_columns)
    return EXIT_OK


def sources_line(ev) -> str:
    """Which system each export was read as: 'Read q.csv as Aptem Import and Update CSV (4 records).'"""
    return "Read " + "; ".join(f"{t.label} as {t.profile} ({len(t):,} records)" for t in ev.context.tables()) + "."


def summary_of_build(ev, output: Path) -> str:
    counts = ev.issues["severity"].value_counts()
    rag = ev.records["rag"].value_counts()
    return (f"Wrote {output}: {len(ev.records):,} qualification records, {len(ev.learners):,} learners, "
            f"{int(ev.hits['is_action'].sum()):,} open actions ({int(rag.get('RED', 0)):,} RED); "
            f"{int(counts.get('error', 0)):,} errors, {int(counts.get('warning', 0)):,} warnings in the data.")


def history_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--store and --snapshot/--no-snapshot: where history is kept and whether to add to it."""
    command = click.option("--snapshot/--no-snapshot", default=True, show_default=True,
                           help="Save a snapshot of the records in the history store.")(command)
    command = new_history_option(command)
    return click.option("--store", metavar="URL",
                        help="SQLAlchemy URL of the history store (default: settings, else <book>.history.sqlite).")(command)


def new_history_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """--new-history: start a new audit trail when the one the workbook names is gone."""
    return click.option("--new-history", "new_history", is_flag=True, default=False,
                        help="Start a new history when the workbook's history store is missing or empty.")(command)


@main.command()
@click.option("--qualifications", "-q", "qualifications", multiple=True, type=click.Path(path_type=Path),
              help="Qualifications export (.csv, .xlsx, .xlsm, OData .json); repeat for several pages.")
@click.option("--assessments", "-a", "assessments", multiple=True, type=click.Path(path_type=Path),
              help="Assessments export; repeat for several pages.")
@click.option("--settings", "settings", type=click.Path(path_type=Path), help="Settings file.")
@click.option("--as-of", "as_of", metavar="DATE", help="Evaluate as on this date (default today).")
@previous_option
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="The workbook to write (.xlsx, or .xlsm with buttons).")
@click.option("--learner", metavar="ULN", help="The learner the Learner sheet shows first (default: most urgent).")
@history_options
@click.option("--as-at", "as_at", metavar="DATE", help="Rebuild every report from history as it stood on DATE.")
@source_option
@force_option
@friendly
def build(qualifications: tuple[Path, ...], assessments: tuple[Path, ...], settings: Path | None,
          as_of: str | None, previous: tuple[Path, ...], output: Path, learner: str | None, store: str | None,
          snapshot: bool, new_history: bool, as_at: str | None, source: tuple[str, ...], force: bool) -> int:
    """Build the report workbook from the exports (or from history with --as-at)."""
    replaced = output.exists()
    ev = api.build_workbook(qualifications or None, assessments or None, output=output, settings=settings,
                            as_of=as_of, previous=previous or None, learner=learner, store=store, snapshot=snapshot,
                            as_at=as_at, progress=progress(), source=source, force=force,
                            new_history=new_history)
    if as_at is None:
        say(sources_line(ev))
    say(summary_of_build(ev, output) + replaced_line(output, replaced))
    return EXIT_OK


def replaced_line(output: Path, replaced: bool) -> str:
    return f" Previous version kept as {output.name}.bak." if replaced else ""


@main.command()
@click.argument("book", type=click.Path(path_type=Path))
@click.option("--settings", "settings", type=click.Path(path_type=Path),
              help="Settings file (default: the workbook's Settings sheet, then regcert.toml beside it).")
@click.option("--as-of", "as_of", metavar="DATE", help="Evaluate as on this date (default today).")
@click.option("--learner", metavar="ULN", help="The learner the Learner sheet shows (default: as chosen there).")
@history_options
@friendly
def refresh(book: Path, settings: Path | None, as_of: str | None, learner: str | None, store: str | None,
            snapshot: bool, new_history: bool) -> int:
    """Refresh a workbook in place from the records on its own sheets."""
    ev = api.refresh_workbook(book, settings=settings, as_of=as_of, learner=learner, store=store, snapshot=snapshot,
                              progress=progress(), new_history=new_history)
    say(summary_of_build(ev, book).replace("Wrote", "Refreshed")
                               + f" Previous version kept as {book.name}.bak.")
    return EXIT_OK


@main.command()
@click.argument("uln")
@click.option("--book", type=click.Path(path_type=Path), help="A regcert-xl workbook to read the records from.")
@reading_options
@format_option
@friendly
def learner(uln: str, book: Path | None, qualifications: tuple[Path, ...], assessments: tuple[Path, ...],
            settings: Path | None, as_of: str | None, store: str | None, as_at: str | None, source: tuple[str, ...],
            fmt: str) -> int:
    """The individual learner record: details, qualifications, assessments, checklist."""
    parts = api.learner(uln, qualifications or None, assessments or None, book=book, settings=settings,
                        as_of=as_of, store=store, as_at=as_at, **({"source": source} if source else {}))
    if fmt == "json":
        import json

        from regcert_xl.output import to_json

        sys.stdout.write(json.dumps({k: json.loads(to_json(v)) for k, v in parts.items()}, indent=1,
                                    ensure_ascii=False) + "\n")
        return EXIT_OK
    console = Console()
    for name, frame in parts.items():
        emit(frame, fmt, sys.stdout, title=name.title(), console=console,
             style_column="Flag" if "Flag" in frame else None)
    return EXIT_OK


@main.command(name="snapshot")
@click.argument("book", type=click.Path(path_type=Path))
@click.option("--store", metavar="URL", help="SQLAlchemy URL of the history store.")
@click.option("--as-of", "as_of", metavar="DATE", help="The date the records stand for (default today).")
@new_history_option
@friendly
def snapshot_command(book: Path, store: str | None, as_of: str | None, new_history: bool) -> int:
    """Save a snapshot of the workbook's records in the history store."""
    saved = api.snapshot(book, store=store, as_of=as_of, new_history=new_history)
    message = (f"Snapshot {saved.snapshot} saved: {saved.added:,} new or changed records, {saved.ended:,} replaced."
               if saved.snapshot else "Nothing has changed since the last snapshot: nothing saved.")
    say(message)
    return EXIT_OK


@main.command(name="import")
@click.argument("book", type=click.Path(path_type=Path))
@click.option("--qualifications", "-q", "qualifications", multiple=True, required=True,
              type=click.Path(path_type=Path), help="The newer qualifications export.")
@click.option("--assessments", "-a", "assessments", multiple=True, type=click.Path(path_type=Path),
              help="The newer assessments export.")
@click.option("--as-of", "as_of", metavar="DATE", help="Evaluate as on this date (default today).")
@click.option("--store", metavar="URL", help="SQLAlchemy URL of the history store.")
@new_history_option
@source_option
@friendly
def import_command(book: Path, qualifications: tuple[Path, ...], assessments: tuple[Path, ...], as_of: str | None,
                   store: str | None, new_history: bool, source: tuple[str, ...]) -> int:
    """Merge a newer export into a workbook, keeping local columns and edits."""
    _ev, merged = api.import_export(book, qualifications, assessments or None, as_of=as_of, store=store,
                                    progress=progress(), source=source, new_history=new_history)
    say(merged.summary + f" Previous version kept as {book.name}.bak.")
    return EXIT_OK


@main.command(name="upload-file")
@click.argument("book", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="Folder for the CSV files.")
@click.option("--store", metavar="URL", help="SQLAlchemy URL of the history store.")
@friendly
def upload_file(book: Path, output: Path, store: str | None) -> int:
    """Write the learner system's Import and Update CSV for the edits made in the workbook."""
    files, kept_out = api.upload_file(book, output, store=store)
    for path in files:
        say(f"Wrote {path}")
    if len(kept_out):
        say(f"{len(kept_out):,} changed records kept out because of errors:")
        for row in kept_out.itertuples(index=False):
            say(f"  {row.Learner} ({row.ULN}), {row.Qualification}: {row.Reason}")
        return EXIT_DATA_ERRORS
    return EXIT_OK


@main.command()
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("RegCert.xlsm"), show_default=True,
              help="The macro-enabled workbook to write (.xlsm).")
@click.option("--settings", "settings", type=click.Path(path_type=Path), help="Settings file.")
@force_option
@friendly
def template(output: Path, settings: Path | None, force: bool) -> int:
    """Write the macro-enabled workbook with buttons, ready for your exports."""
    replaced = output.exists()
    api.template_workbook(output, settings=settings, progress=progress(), force=force)
    say(f"Wrote {output}: paste your exports into Qualifications and Assessments "
        "(or use Import export), then press Refresh." + replaced_line(output, replaced))
    return EXIT_OK


@main.command()
@click.option("-o", "--output", type=click.Path(path_type=Path), default=Path("RegCert-demo.xlsx"),
              show_default=True, help="Where to write the demo workbook.")
@click.option("--as-of", "as_of", metavar="DATE", help="Evaluate as on this date (default: the samples' date).")
@force_option
@friendly
def demo(output: Path, as_of: str | None, force: bool) -> int:
    """Build the full workbook from the bundled sample exports."""
    from regcert_xl.samples import demo_inputs

    q, a, sample_date = demo_inputs()
    replaced = output.exists()
    ev = api.build_workbook(q, a, output=output, as_of=as_of or sample_date, progress=progress(), force=force)
    say(summary_of_build(ev, output) + replaced_line(output, replaced))
    return EXIT_OK


if __name__ == "__main__":
    main()
