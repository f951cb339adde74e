"""`manage.py import_people` and `manage.py bench_import`, as an HR engineer would run them."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from people.demo import generate_directory
from people.importing import rows_to_csv
from people.models import DirectoryImport, Person, PersonnelRecord
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def run_failing(*args: str) -> tuple[str, str]:
    """(what was printed, the error the command stopped with)."""
    out = StringIO()
    with pytest.raises(CommandError) as error:
        call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue(), str(error.value)


@pytest.fixture
def hundred_people() -> list[dict[str, str]]:
    rows, _ = generate_directory(people=100, seed=5)
    return rows


def write(folder: Path, rows: list[dict[str, str]], name: str = "directory.csv", kind: str = "people") -> str:
    path = folder / name
    path.write_bytes(rows_to_csv(rows=rows, kind=kind))
    return str(path)


def test_three_bad_rows_among_a_hundred_are_printed_and_nothing_is_applied(tmp_path, hundred_people):
    hundred_people[9]["email"] = "not-an-address"
    hundred_people[40]["job_level"] = "42"
    hundred_people[76]["hire_date"] = "2023-13-01"
    path = write(tmp_path, hundred_people)

    out, error = run_failing("import_people", path)

    assert "Row 11, column email: 'not-an-address' is not a valid e-mail address." in out
    assert "Row 42, column job_level: '42' is not a job level; use a whole number from 1 to 20." in out
    assert "Row 78, column hire_date: '2023-13-01' is not a date;" in out
    assert len(re.findall(r"^Row \d+, column ", out, flags=re.MULTILINE)) == 3
    assert error == "3 error(s) in directory.csv; fix them and import again. Nothing was changed."
    assert not Person.objects.exists()


def test_the_corrected_file_imports_and_importing_it_again_changes_nothing(tmp_path, hundred_people):
    path = write(tmp_path, hundred_people)

    first = run("import_people", path)
    second = run("import_people", path)

    assert "100 created, 0 updated, 0 unchanged: 100 changes." in first
    assert "0 created, 0 updated, 100 unchanged: 0 changes." in second
    assert "Imported directory.csv: 0 changes." in second
    assert Person.objects.count() == 100
    assert DirectoryImport.objects.filter(status="applied").count() == 2


def test_a_dry_run_shows_what_would_change_and_changes_nothing(tmp_path, hundred_people):
    out = run("import_people", write(tmp_path, hundred_people), "--dry-run")

    assert "100 to create, 0 to update, 0 unchanged: 100 changes." in out
    assert "New divisions: Clinical Services, Operations, Research, Technology." in out
    assert out.rstrip().endswith("Dry run. Nothing was changed.")
    assert not Person.objects.exists() and not DirectoryImport.objects.exists()


def test_it_counts_people_missing_from_the_file_and_keeps_them(tmp_path, hundred_people):
    PersonFactory(employee_id="X1")

    out = run("import_people", write(tmp_path, hundred_people))

    assert "1 current person of the directory is not in the file (they are kept as they are)." in out
    assert Person.objects.filter(employee_id="X1").exists()


def test_it_imports_promotions(tmp_path, hundred_people):
    run("import_people", write(tmp_path, hundred_people))
    _, promotions = generate_directory(people=100, seed=5)
    path = write(tmp_path, promotions, name="promotions.csv", kind="promotions")

    out = run("import_people", path, "--kind", "promotions")

    assert f"{len(promotions)} created, 0 updated, 0 unchanged" in out
    assert PersonnelRecord.objects.count() == len(promotions) > 0


def test_a_file_that_cannot_be_read_is_explained(tmp_path):
    (tmp_path / "staff.csv").write_text("name,email\nAda,ada@example.com\n")

    _, missing_file = run_failing("import_people", str(tmp_path / "nowhere.csv"))
    _, wrong_columns = run_failing("import_people", str(tmp_path / "staff.csv"))

    assert missing_file.startswith(f"Cannot read {tmp_path / 'nowhere.csv'}: No such file or directory.")
    assert "These required columns are missing: employee_id, full_name, title," in wrong_columns
    assert "These columns are not part of the format: name." in wrong_columns
    assert wrong_columns.endswith("Nothing was changed.")


def test_bench_import_prints_its_figures_on_the_last_line():
    out = run("bench_import", "--rows", "300")

    assert re.fullmatch(r"rows=300 first_s=\d+\.\d reimport_s=\d+\.\d", out.splitlines()[-1])
    assert Person.objects.count() == 300


def test_bench_import_replaces_an_earlier_benchmark_but_refuses_a_real_directory():
    run("bench_import", "--rows", "100")
    run("bench_import", "--rows", "100", "--seed", "2")
    assert Person.objects.count() == 100

    PersonFactory(employee_id="R1")
    _, error = run_failing("bench_import", "--rows", "100")

    assert error.startswith("The directory holds 1 real people.")
