"""Read any supported file into rows: the one place that chooses a reader by file type."""

from __future__ import annotations

from pathlib import Path

from generator.importer.docx_reader import read_docx
from generator.importer.rows import SourceRow
from generator.importer.text_reader import read_csv, read_text
from generator.importer.xlsx_reader import read_xlsx

SUFFIXES = (".docx", ".xlsx", ".csv", ".txt", ".tsv")


class UnreadableFile(Exception):
    """A file the importer cannot read, with why in plain words."""


def read_rows(path: Path) -> list[SourceRow]:
    """The table rows of `path`: Word, Excel, CSV, or text pasted from Word, Excel or a PDF."""
    suffix = path.suffix.lower()
    if not path.is_file():
        raise UnreadableFile(f"{path}: không có tệp này")
    if suffix == ".docx":
        return read_docx(path)
    if suffix == ".xlsx":
        return read_xlsx(path)
    if suffix in (".doc", ".xls", ".pdf"):
        raise UnreadableFile(
            f"{path}: định dạng {suffix} cũ hoặc PDF chưa đọc trực tiếp được; hãy lưu lại dạng "
            ".docx/.xlsx, hoặc chép bảng dán vào một tệp .txt"
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile(
            f"{path}: tệp văn bản không phải UTF-8; hãy lưu lại dạng UTF-8"
        ) from None
    return read_csv(text) if suffix == ".csv" else read_text(text)
