"""The HR directory import: read a CSV or XLSX file, check every row, preview, then apply all or nothing.

The format is documented in ``docs/hr-import.md``. The same functions serve the ``import_people`` command,
the imports pages (through ``DirectoryImport`` and its Celery tasks), ``seed_demo`` and ``bench_import``;
they import from here, never from the modules, which are:

- ``files``: ``read_table`` turns a file into rows of text keyed by column name; the row at index ``i`` is
  row ``i + 2`` of the file (the header is row 1), and blank rows are kept so that the numbering never drifts.
- ``people`` and ``promotions``: ``people_import`` upserts people by employee ID; ``promotions_import``
  records promotions. Both check every row first (with ``rows``) and return an ``ImportReport`` (``report``);
  they write only when there is no error at all, in one transaction, and a second run of the same file
  changes nothing.
- ``uploads``: ``directory_import_*`` move an uploaded ``DirectoryImport`` through its statuses, and
  ``directory_imports_fail_stale`` fails those whose background task was lost.

Speed matters (50,000 people in well under a minute on PostgreSQL), so there are no per-row queries: the
directory is read once, the difference is computed in Python, and only what changed is written in bulk.
"""

from .files import (
    ACCEPTED_EXTENSIONS,
    EXAMPLE_ROWS,
    PEOPLE_COLUMNS,
    PEOPLE_OPTIONAL_COLUMNS,
    PROMOTION_COLUMNS,
    ImportFileError,
    check_file,
    columns_for,
    read_table,
    rows_to_csv,
    template_csv,
)
from .people import ABSENT_SAMPLE_SIZE, people_import
from .promotions import promotions_import
from .report import (
    SAMPLE_SIZE,
    STORED_ERRORS,
    Change,
    ImportReport,
    RowError,
)
from .rows import BATCH_SIZE
from .uploads import (
    IMPORT_TRANSITIONS,
    ImportStateError,
    directory_import_apply,
    directory_import_apply_request,
    directory_import_create,
    directory_import_discard,
    directory_import_fail,
    directory_import_record,
    directory_import_validate,
    directory_imports_fail_stale,
    run_import,
)

__all__ = [
    "ABSENT_SAMPLE_SIZE",
    "ACCEPTED_EXTENSIONS",
    "BATCH_SIZE",
    "EXAMPLE_ROWS",
    "IMPORT_TRANSITIONS",
    "PEOPLE_COLUMNS",
    "PEOPLE_OPTIONAL_COLUMNS",
    "PROMOTION_COLUMNS",
    "SAMPLE_SIZE",
    "STORED_ERRORS",
    "Change",
    "ImportFileError",
    "ImportReport",
    "ImportStateError",
    "RowError",
    "check_file",
    "columns_for",
    "directory_import_apply",
    "directory_import_apply_request",
    "directory_import_create",
    "directory_import_discard",
    "directory_import_fail",
    "directory_import_record",
    "directory_import_validate",
    "directory_imports_fail_stale",
    "people_import",
    "promotions_import",
    "read_table",
    "rows_to_csv",
    "run_import",
    "template_csv",
]
