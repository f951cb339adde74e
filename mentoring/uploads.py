"""The checks every uploaded import gets before anything reads it: size, extension, then content.

The size is checked before the file is read, the extension against the kinds the form accepts, and the
content against the extension (a CSV must be UTF-8 text, an XLSX a zip holding an Excel workbook), so a
disguised file, such as a picture named .csv or a program named .xlsx, is refused with a message and nothing
is saved. Forms call ``read_upload`` from ``clean_<field>``.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from django import forms
from django.core.files.uploadedfile import UploadedFile

CSV = ".csv"
XLSX = ".xlsx"
_KIND_NAMES = {(CSV,): "a CSV file", (CSV, XLSX): "a CSV or Excel (.xlsx) file"}
_SAVE_AS = {(CSV,): "Save it as CSV UTF-8", (CSV, XLSX): "Save it as .csv (UTF-8) or .xlsx"}
# A workbook may unpack to at most this many times its size: spreadsheets compress about tenfold, a zip bomb
# a thousandfold.
XLSX_MAX_EXPANSION = 20
# The first bytes of files people upload by mistake, to say what the file really is.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a program"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file (.xls or .doc)"),
    (b"PK\x03\x04", "a zip archive (an Excel workbook, perhaps)"),
)


def read_upload(upload: UploadedFile, *, extensions: tuple[str, ...], max_bytes: int) -> bytes:
    """The upload's bytes once its size, extension and content are right; else a ``ValidationError``.

    The file is rewound afterwards, so a view may read it again.
    """
    if upload.size is not None and upload.size > max_bytes:
        raise forms.ValidationError(
            f"The file is {upload.size / 1024 / 1024:.1f} MB; the most is {_megabytes(max_bytes)} MB. "
            "Split it into smaller files."
        )
    name = upload.name or "The file"
    extension = PurePath(name).suffix.lower()
    if extension not in extensions:
        raise forms.ValidationError(
            f"{name} is not {_KIND_NAMES.get(extensions, ' or '.join(extensions) + ' file')}. "
            f"{_SAVE_AS.get(extensions, 'Save it in one of these formats')} and upload it again."
        )
    content = upload.read(max_bytes + 1)
    upload.seek(0)
    if len(content) > max_bytes:
        raise forms.ValidationError(f"The file is larger than {_megabytes(max_bytes)} MB.")
    if extension == CSV:
        problem = csv_problem(content, name=name)
    else:
        problem = xlsx_problem(content, name=name, max_bytes=max_bytes)
    if problem:
        raise forms.ValidationError(problem)
    return content


def csv_problem(content: bytes, *, name: str) -> str | None:
    """Why ``content`` is not CSV text (UTF-8, with or without a byte order mark), or None."""
    disguise = _disguise(content)
    if disguise:
        return f"{name} is {disguise}, not CSV text. Save the data as CSV UTF-8 and upload it again."
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return (
            'The file is not UTF-8 text. In Excel choose File > Save As > "CSV UTF-8 (Comma delimited)", '
            "then upload it again."
        )
    if "\x00" in text:
        return f"{name} holds binary data, not CSV text. Save the data as CSV UTF-8 and upload it again."
    return None


def xlsx_problem(content: bytes, *, name: str, max_bytes: int) -> str | None:
    """Why ``content`` is not an Excel workbook (a zip with the parts of a workbook), or None."""
    not_a_workbook = (
        name + " is {what}, not an Excel workbook (.xlsx). Open it in Excel and save it as .xlsx, or "
        "export it as CSV UTF-8."
    )
    if not content.startswith(b"PK\x03\x04"):
        return not_a_workbook.format(what=_disguise(content) or "not a workbook")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError):
        return not_a_workbook.format(what="a damaged zip archive")
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        return not_a_workbook.format(what="a zip archive or another Office document")
    if sum(member.file_size for member in members) > XLSX_MAX_EXPANSION * max_bytes:
        return f"{name} unpacks to far more data than a workbook of its size holds; export it as CSV UTF-8."
    return None


def _disguise(content: bytes) -> str | None:
    return next((what for magic, what in _SIGNATURES if content.startswith(magic)), None)


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:g}"
