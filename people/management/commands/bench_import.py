"""Benchmark the HR import: a realistic file of N people, imported, then imported again."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from people.demo import generate_directory
from people.importing import people_import, read_table, rows_to_csv
from people.models import DirectoryImport, Person

BENCH_DOMAIN = "bench.invalid"


class Command(BaseCommand):
    help = (
        "Generate a realistic HR file of --rows people (people.demo), import it, import it again, and "
        "print `rows=N first_s=X reimport_s=Y` on the last line. The re-import must change nothing. "
        f"Runs only on a directory that is empty or holds an earlier benchmark (addresses @{BENCH_DOMAIN}), "
        "which it removes first: on a real directory it would overwrite real people. Use a separate "
        "database, e.g. DATABASE_URL=postgres://.../bench."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rows", type=int, default=50_000, help="People in the file (default 50000).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")

    def handle(self, *args, rows: int, seed: int, **options) -> None:
        others = Person.objects.exclude(email__endswith=f"@{BENCH_DOMAIN}").count()
        if others:
            raise CommandError(
                f"The directory holds {others} real people. bench_import would overwrite them; run it "
                "against an empty database instead."
            )
        self._remove_earlier_benchmark()
        try:
            people, _ = generate_directory(people=rows, seed=seed, email_domain=BENCH_DOMAIN)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / f"directory-{rows}.csv"
            path.write_bytes(rows_to_csv(rows=people, kind=DirectoryImport.Kind.PEOPLE))
            self.stdout.write(f"Wrote {rows} people to {path.name} ({path.stat().st_size // 1024} KiB).")

            first_s, first = self._import(path)
            if not first.applied or first.creates != rows:
                raise CommandError(
                    f"The first import went wrong: {first.creates} created, {first.errors[:3]}"
                )
            self.stdout.write(
                f"First import: {first.creates} created, {len(first.new_departments)} departments "
                f"in {first_s:.1f} s."
            )
            reimport_s, again = self._import(path)
            if again.changes or not again.applied:
                raise CommandError(
                    f"Importing the same file again changed {again.changes} people; it must change none."
                )
            self.stdout.write(f"Re-import: {again.unchanged} unchanged, 0 changes in {reimport_s:.1f} s.")
        self.stdout.write(f"rows={rows} first_s={first_s:.1f} reimport_s={reimport_s:.1f}")

    def _import(self, path: Path):
        started = time.perf_counter()
        table = read_table(content=path.read_bytes(), file_name=path.name)
        report = people_import(rows=table, dry_run=False, by=None)
        return time.perf_counter() - started, report

    def _remove_earlier_benchmark(self) -> None:
        earlier = Person.objects.filter(email__endswith=f"@{BENCH_DOMAIN}")
        if not earlier.exists():
            return
        self.stdout.write("Removing the people of an earlier benchmark ...")
        with transaction.atomic():
            earlier.update(manager=None)
            earlier.delete()
