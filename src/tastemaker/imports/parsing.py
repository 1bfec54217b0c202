"""Reading creator lists: bytes -> header + rows, and the cell values vendors write.

Pure functions, no database: the job service, the CLI and the tests all use them.

Row numbers are the ones a person sees when they open the file in a spreadsheet: the header
is row 1 (or wherever it really is), a record whose quoted cell spans several lines is still
one row, and blank rows are skipped but still counted.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from functools import lru_cache
from typing import Any, Literal

from tastemaker.kit.errors import DomainError, ValidationFailed

MAX_FILE_BYTES = 50 * 1024 * 1024
# A bio or a pasted description can be long; the csv module's default (128 KiB) is not.
csv.field_size_limit(MAX_FILE_BYTES)

Cell = str | int | float | None
Row = tuple[int, Sequence[Cell]]  # (row number as seen in a spreadsheet, cells)
FileFormat = Literal["csv", "xlsx"]


class UnsupportedFile(ValidationFailed):
    code = "unsupported_file"


class FileTooLarge(DomainError):
    status_code = 413
    code = "file_too_large"


def check_size(size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise FileTooLarge(
            f"the file is {size / 1024 / 1024:.1f} MB; the limit is "
            f"{MAX_FILE_BYTES // 1024 // 1024} MB. Split it into smaller files."
        )


@dataclass(frozen=True)
class Column:
    index: int  # 0-based position in the row
    header: str  # the header text, whitespace collapsed
    label: str  # unique among the file's columns: repeated headers get " (2)", blanks a letter

    @property
    def letter(self) -> str:
        return column_letter(self.index)

    @property
    def number(self) -> int:
        return self.index + 1


def column_letter(index: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA', as spreadsheets name columns."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass
class Table:
    """A parsed file: its columns, and a way to walk its data rows as often as needed."""

    format: FileFormat
    columns: list[Column]
    header_row: int
    _rows: Callable[[], Iterator[Row]] = field(repr=False)
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)

    def rows(self) -> Iterator[Row]:
        """Data rows after the header, blank ones skipped, each padded to the column count."""
        return self._rows()

    def count_rows(self) -> int:
        return sum(1 for _ in self.rows())

    def head(self, n: int) -> list[Row]:
        found: list[Row] = []
        for row in self.rows():
            if len(found) >= n:
                break
            found.append(row)
        return found


def open_table(content: bytes, sheet: str | None = None) -> Table:
    """Recognises XLSX by its content (not the file name); everything else must be text."""
    check_size(len(content))
    if not content.strip():
        raise UnsupportedFile("the file is empty")
    if content.startswith(b"PK\x03\x04"):
        return _open_xlsx(content, sheet)
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnsupportedFile(
            "this is an old Excel .xls workbook; save it as .xlsx or CSV and upload that"
        )
    if sheet:
        raise ValidationFailed(
            "a sheet can only be chosen in an .xlsx workbook", details={"field": "sheet"}
        )
    return _open_csv(content)


# --- CSV ---------------------------------------------------------------------------------


def decode_text(content: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM) or UTF-16 with a BOM; otherwise Windows-1252, the encoding
    Excel on Windows writes, with Latin-1 as the last resort (it accepts any byte)."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    try:
        # Repaired here too: exports often hold text that was mis-decoded once upstream.
        return repair_mojibake(content.decode("utf-8-sig")), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return repair_mojibake(content.decode("cp1252")), "cp1252"
    except UnicodeDecodeError:
        return repair_mojibake(content.decode("latin-1")), "latin-1"


# UTF-8 text that went through a Windows-1252 decoder once reads 'Ã©' for 'é'; a run of
# a lead byte followed by continuation bytes is put back when it is valid UTF-8.
_CP1252_CONTINUATION = (
    "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
)
_MOJIBAKE = re.compile(f"(?:[\u00c2-\u00f4][{_CP1252_CONTINUATION}]+)+")


def repair_mojibake(text: str) -> str:
    def fix(match: re.Match[str]) -> str:
        run = match.group(0)
        try:
            return run.encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return run

    return _MOJIBAKE.sub(fix, text)


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    if "\x00" in sample:
        return True
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t\f")
    return controls > len(sample) // 100


def sniff_delimiter(text: str) -> str:
    """The candidate that splits the first rows into the same number of cells most often,
    and into the most cells among equally consistent candidates."""
    sample = text[:65536]
    if len(text) > len(sample) and "\n" in sample:
        sample = sample[: sample.rfind("\n")]
    best, best_score = ",", (0.0, 0)
    for delimiter in (",", ";", "\t", "|"):
        rows = [
            r
            for r in csv.reader(io.StringIO(sample), delimiter=delimiter)
            if any(c.strip() for c in r)
        ][:50]
        if not rows:
            continue
        width, count = Counter(len(r) for r in rows).most_common(1)[0]
        if width < 2:
            continue
        score = (round(count / len(rows), 1), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _open_csv(content: bytes) -> Table:
    text, encoding = decode_text(content)
    if _looks_binary(text):
        raise UnsupportedFile(
            "this is neither a CSV nor an .xlsx file; export the list as CSV or Excel (.xlsx)"
        )
    delimiter = sniff_delimiter(text)

    def records() -> Iterator[tuple[int, list[str]]]:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            yield from enumerate(reader, start=1)
        except csv.Error as exc:
            raise ValidationFailed(
                f"the CSV cannot be read after row {reader.line_num}: {exc}"
            ) from exc

    header_row, header = _find_header(records())
    columns = _columns(header)
    width = len(columns)

    def rows() -> Iterator[Row]:
        for number, record in records():
            if number <= header_row or not "".join(record).strip():
                continue
            if len(record) < width:
                record = record + [""] * (width - len(record))
            yield number, record

    return Table("csv", columns, header_row, rows, encoding=encoding, delimiter=delimiter)


def _find_header(records: Iterator[tuple[int, Sequence[Cell]]]) -> tuple[int, list[str]]:
    """Title lines above the table are common in exports ("Top creators, December"): the
    header is the first of the first 20 rows with at least half as many filled cells as the
    fullest of them (and two, unless the whole list has one column)."""
    head: list[tuple[int, list[str], int]] = []
    for number, record in records:
        cells = ["" if c is None else str(c) for c in record]
        head.append((number, cells, sum(1 for c in cells if c.strip())))
        if number >= 20:
            break
    widest = max((filled for _, _, filled in head), default=0)
    if not widest:
        raise UnsupportedFile("the file has no header row (it has no text at all)")
    for number, cells, filled in head:
        if filled >= max(min(2, widest), (widest + 1) // 2):
            return number, cells
    raise AssertionError("unreachable: the widest row qualifies")


def _columns(header: list[str]) -> list[Column]:
    while header and not header[-1].strip():
        header = header[:-1]
    seen: Counter[str] = Counter()
    columns = []
    for index, raw in enumerate(header):
        text = " ".join(raw.replace("\ufeff", "").split())
        if not text:
            label = f"column {column_letter(index)}"
        else:
            seen[text.casefold()] += 1
            repeat = seen[text.casefold()]
            label = text if repeat == 1 else f"{text} ({repeat})"
        columns.append(Column(index, text, label))
    return columns


# --- XLSX --------------------------------------------------------------------------------


def _open_xlsx(content: bytes, sheet: str | None) -> Table:
    import openpyxl  # imported here: it is slow to import and CSV imports do not need it

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if "xl/workbook.xml" not in archive.namelist():
                raise UnsupportedFile(
                    "this ZIP file is not an Excel workbook; upload a CSV or an .xlsx file"
                )
    except zipfile.BadZipFile as exc:
        raise UnsupportedFile("this .xlsx file is damaged and cannot be opened") from exc

    def open_sheet() -> tuple[Any, Any, list[str]]:  # openpyxl ships no type hints
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds on damaged workbooks
            raise UnsupportedFile(f"this .xlsx file cannot be read ({exc})") from exc
        names = list(workbook.sheetnames)
        if not names:
            workbook.close()
            raise UnsupportedFile("this workbook has no sheets")
        if sheet and sheet not in names:
            workbook.close()
            raise ValidationFailed(
                f"the workbook has no sheet {sheet!r}; its sheets are: {', '.join(names)}",
                details={"field": "sheet"},
            )
        worksheet = workbook[sheet or names[0]]
        # Some writers record a wrong <dimension>; read-only mode would trust it and stop.
        worksheet.reset_dimensions()
        return workbook, worksheet, names

    def records() -> Iterator[tuple[int, list[Cell]]]:
        workbook, worksheet, _ = open_sheet()
        try:
            for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
                yield number, [_xlsx_cell(v) for v in values]
        finally:
            workbook.close()

    workbook, _, names = open_sheet()
    workbook.close()
    header_row, header = _find_header(records())
    columns = _columns(header)
    width = len(columns)

    def rows() -> Iterator[Row]:
        for number, record in records():
            if number <= header_row:
                continue
            if not any(c is not None and (not isinstance(c, str) or c.strip()) for c in record):
                continue
            if len(record) < width:
                record = record + [None] * (width - len(record))
            yield number, record

    return Table("xlsx", columns, header_row, rows, sheet=sheet or names[0], sheets=names)


def _xlsx_cell(value: object) -> Cell:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


# --- cell values -------------------------------------------------------------------------

# What vendors and spreadsheets put where there is no value, including Excel's error
# literals in the languages the exports come in (#VALOR! is Spanish/Portuguese #VALUE!).
# fmt: off
BLANKS = frozenset({
    "", "-", "--", "---", "—", "–", "?", "n/a", "n.a.", "na", "nan", "none", "null", "nil",
    "not available", "unknown", "#n/a", "#na", "#nv", "#n/d", "#value!", "#valor!",
    "#¡valor!", "#wert!", "#valeur!", "#ref!", "#bezug!", "#div/0!", "#name?", "#nom?",
    "#¿nombre?", "#num!", "#nombre!", "#zahl!", "#null!", "#nul!", "#spill!", "#calc!",
})
# fmt: on


def is_blank(value: Cell) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, int):
        return False
    return _blank_text(value)


_LONGEST_BLANK = max(len(b) for b in BLANKS) + 4  # room for quotes, '%' and spaces
_RUNS_OF_SPACE = re.compile(r"\s{2,}|[\t\r\n\f\v]")


def _blank_text(text: str) -> bool:
    if len(text) > _LONGEST_BLANK:  # most cells: a name, a handle, a long number
        return False
    text = text.strip().strip("'\"").strip().lower()
    if text.endswith("%"):  # 'NaN%', '-%': a percent-formatted empty cell
        text = text[:-1].rstrip()
    return text in BLANKS


def text_value(value: Cell) -> str | None:
    """A cell as trimmed text, inner runs of white space made one space; None for a blank.
    Whole floats from Excel lose their '.0'."""
    if isinstance(value, str):
        if _blank_text(value):
            return None
        text = value.strip()
        return _RUNS_OF_SPACE.sub(" ", text) if _RUNS_OF_SPACE.search(text) else text
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class NotANumber(ValueError):
    pass


_SUFFIXES = {
    "k": Decimal(10**3),
    "m": Decimal(10**6),
    "mm": Decimal(10**6),
    "mn": Decimal(10**6),
    "b": Decimal(10**9),
    "bn": Decimal(10**9),
}
_NUMBER = re.compile(
    r"^(?P<sign>[+-]?)\s*(?P<body>\d[\d.,' \u00a0\u202f_]*|[.,]\d+)\s*(?P<suffix>mm|mn|bn|[kmb])?$",
    re.IGNORECASE,
)
_GROUPED_COMMA = re.compile(r"\d{1,3}(?:,\d{3})+")
_GROUPED_DOT = re.compile(r"\d{1,3}(?:\.\d{3})+")


def parse_number(value: Cell) -> tuple[float, bool] | None:
    """(value, was_percent) or None for a blank; raises NotANumber with the reason.

    '475.8M' -> 475,800,000; '12.5k' -> 12,500; '29.0b' -> 29e9; '1,234' and '1 234' ->
    1,234; '1.234,5' -> 1234.5; '12,5' -> 12.5; '1.39%' -> (1.39, True); '2.28E+11' as
    written. A comma followed by groups of exactly three digits is a thousands separator,
    never a decimal comma: that is how every export we have seen writes counts. A single
    dot is a decimal point ('1.234' -> 1.234); two or more are grouping ('1.234.567').
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise NotANumber(f"{value!r} is not a number")
    if isinstance(value, int | float):
        if isinstance(value, float) and math.isnan(value):
            return None
        if isinstance(value, float) and math.isinf(value):
            raise NotANumber(f"{value!r} is not a finite number")
        return float(value), False
    return _parse_text_number(value)


@lru_cache(maxsize=65536)
def _parse_text_number(raw: str) -> tuple[float, bool] | None:
    # Cached: lists repeat the same compact values ('1.2M') thousands of times.
    if _blank_text(raw):
        return None
    text = raw.strip()
    try:
        number = float(text)
    except ValueError:
        pass
    else:
        if not math.isfinite(number):
            raise NotANumber(f"{raw!r} is not a finite number")
        return number, False
    text = text.strip("'\"").strip()
    percent = text.endswith("%")
    if percent:
        text = text[:-1].rstrip()
    match = _NUMBER.match(text)
    if match is None:
        raise NotANumber(f"{_shorten(raw)!r} is not a number")
    body = re.sub(r"[' \u00a0\u202f_]", "", match["body"])
    number = _decimal(body, raw)
    suffix = (match["suffix"] or "").lower()
    if suffix:
        if percent:
            raise NotANumber(f"{_shorten(raw)!r} is not a number")
        # In decimal: 475.8 * 1e6 is 475799999.99999994 in binary floating point, and the
        # vendor meant the round figure they printed.
        number = float(Decimal(repr(number)) * _SUFFIXES[suffix])
    if match["sign"] == "-":
        number = -number
    return number, percent


def _decimal(body: str, raw: str) -> float:
    if "," in body and "." in body:
        if body.rfind(",") > body.rfind("."):  # 1.234,56
            body = body.replace(".", "").replace(",", ".")
        else:  # 1,234.56
            body = body.replace(",", "")
    elif "," in body:
        if _GROUPED_COMMA.fullmatch(body):
            body = body.replace(",", "")
        elif body.count(",") == 1:
            body = body.replace(",", ".")
    elif body.count(".") > 1 and _GROUPED_DOT.fullmatch(body):
        body = body.replace(".", "")
    try:
        return float(body)
    except ValueError:
        raise NotANumber(f"{_shorten(raw)!r} is not a number") from None


def _shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shorten(value: Cell, limit: int = 60) -> str:
    return _shorten("" if value is None else str(value), limit)
