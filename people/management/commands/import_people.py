"""Import the HR directory (or promotions) from a CSV or XLSX file; the format is in docs/hr-import.md."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import pluralize

from people.importing import (
    ImportFileError,
    ImportReport,
    directory_import_record,
    read_table,
    run_import,
)
from people.models import DirectoryImport


class Command(BaseCommand):
    help = (
        "Import people (upsert by employee_id) or promotions from a CSV or XLSX file. Every row is checked "
        "first; if any row is wrong, each error is printed with its row and column and nothing is changed. "
        "People missing from the file are listed, never deleted. See docs/hr-import.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="A .csv (UTF-8) or .xlsx file.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and show what would change; write nothing."
        )
        parser.add_argument(
            "--kind",
            choices=DirectoryImport.Kind.values,
            default=DirectoryImport.Kind.PEOPLE,
            help="What the file holds (default: people).",
        )

    def handle(self, *args, file: str, dry_run: bool, kind: str, **options) -> None:
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}. Nothing was changed.") from exc
        try:
            rows = read_table(content=content, file_name=path.name, kind=kind)
        except ImportFileError as exc:
            raise CommandError(f"{path.name}: {exc} Nothing was changed.") from exc

        report = run_import(kind=kind, rows=rows, dry_run=dry_run, by=None)
        self._summary(report, path.name)
        if report.errors:
            for error in report.errors:
                self.stdout.write(str(error))
            raise CommandError(
                f"{len(report.errors)} error(s) in {path.name}; fix them and import again. "
                "Nothing was changed."
            )
        if dry_run:
            self.stdout.write("Dry run. Nothing was changed.")
            return
        directory_import_record(kind=kind, file_name=path.name, content=content, report=report, by=None)
        self.stdout.write(
            self.style.SUCCESS(f"Imported {path.name}: {report.changes} change{pluralize(report.changes)}.")
        )

    def _summary(self, report: ImportReport, name: str) -> None:
        would = "to " if report.dry_run or report.errors else ""
        created, updated = ("create", "update") if would else ("created", "updated")
        self.stdout.write(f"{name}: {report.rows} rows of {report.kind}.")
        self.stdout.write(
            f"  {report.creates} {would}{created}, {report.updates} {would}{updated}, "
            f"{report.unchanged} unchanged: {report.changes} change{pluralize(report.changes)}."
        )
        if report.kind == DirectoryImport.Kind.PEOPLE:
            who = "person of the directory is" if report.absent_count == 1 else "people of the directory are"
            self.stdout.write(
                f"  {report.absent_count} current {who} not in the file (they are kept as they are)."
            )
            for label, names in (
                ("New divisions", report.new_divisions),
                ("New departments", report.new_departments),
            ):
                if names:
                    self.stdout.write(f"  {label}: {', '.join(names)}.")
            if report.linked_logins:
                self.stdout.write(f"  {report.linked_logins} logins linked to their person.")
