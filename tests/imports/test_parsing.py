from __future__ import annotations

import codecs
import contextlib
import zipfile
from io import BytesIO

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tastemaker.imports.parsing import (
    MAX_FILE_BYTES,
    FileTooLarge,
    NotANumber,
    UnsupportedFile,
    check_size,
    column_letter,
    decode_text,
    is_blank,
    open_table,
    parse_number,
    repair_mojibake,
    sniff_delimiter,
)
from tastemaker.kit.errors import ValidationFailed
from tests.imports.helpers import VENDOR_LIKE, csv_bytes, xlsx_bytes


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("475.8M", 475_800_000),
        ("475.8m", 475_800_000),
        ("12.5K", 12_500),
        ("0.89k", 890),
        ("29.0b", 29_000_000_000),
        ("1.2 bn", 1_200_000_000),
        ("3MM", 3_000_000),
        ("1,234", 1_234),
        ("1,234,567", 1_234_567),
        ("1 234 567", 1_234_567),
        ("1\u00a0234", 1_234),
        ("1'234", 1_234),
        ("1.234.567", 1_234_567),
        ("1,234.5", 1_234.5),
        ("1.234,5", 1_234.5),
        ("12,5", 12.5),
        ("1,5K", 1_500),
        ("477900000.00", 477_900_000),
        ("2.28E+11", 228_000_000_000),
        ("348.5", 348.5),
        ("+7", 7),
        ("-5", -5),
        ("  42  ", 42),
        ("'42'", 42),
    ],
)
def test_parse_number_reads_what_vendors_write(text: str, expected: float) -> None:
    parsed = parse_number(text)
    assert parsed is not None
    assert parsed == (pytest.approx(expected), False)


@pytest.mark.parametrize(("text", "expected"), [("1.39%", 1.39), ("0.5 %", 0.5), ("12%", 12)])
def test_parse_number_marks_percentages(text: str, expected: float) -> None:
    assert parse_number(text) == (pytest.approx(expected), True)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "  ",
        "N/A",
        "n/a",
        "N/A'",
        "-",
        "—",
        "nan",
        "NaN",
        "NaN%",
        "null",
        "#VALOR!",
        "#VALUE!",
        "#N/A",
        "#DIV/0!",
        None,
    ],
)
def test_blanks_are_none(text: str | None) -> None:
    assert is_blank(text)
    assert parse_number(text) is None


@pytest.mark.parametrize("text", ["12x", "abc", "1.2.3x", "inf", "1e999", "12%K", "1,2,3"])
def test_unparsable_numbers_say_why(text: str) -> None:
    with pytest.raises(NotANumber, match="not a"):
        parse_number(text)


def test_excel_values_pass_through() -> None:
    assert parse_number(12) == (12.0, False)
    assert parse_number(0.0139) == (0.0139, False)
    assert parse_number(float("nan")) is None


@given(st.integers(min_value=0, max_value=10**15))
def test_property_grouped_integers_round_trip(n: int) -> None:
    for text in (str(n), f"{n:,}", f"{n:,}".replace(",", " "), f"{n:_}"):
        assert parse_number(text) == (float(n), False)


@given(st.integers(min_value=1_000_000, max_value=10**15))
def test_property_european_grouping_round_trips(n: int) -> None:
    # Two dots or more can only be grouping; a single one ('1.234') is a decimal point.
    assert parse_number(f"{n:,}".replace(",", ".")) == (float(n), False)


@given(st.integers(min_value=1, max_value=9_999), st.sampled_from(["K", "M", "B", "k", "m", "b"]))
def test_property_compact_numbers_scale(tenths: int, suffix: str) -> None:
    scale = {"k": 1e3, "m": 1e6, "b": 1e9}[suffix.lower()]
    text = f"{tenths / 10:.1f}{suffix}"
    parsed = parse_number(text)
    assert parsed is not None
    assert parsed[0] == pytest.approx(tenths / 10 * scale, rel=1e-12)
    assert parsed[0] == round(parsed[0])  # a round figure, not 475799999.99999994


@given(st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False))
def test_property_percentages(value: object) -> None:
    parsed = parse_number(f"{value}%")
    assert parsed is not None
    assert parsed[1] is True
    assert parsed[0] == pytest.approx(float(str(value)))


@given(st.text(max_size=12))
def test_property_parser_never_raises_anything_else(text: str) -> None:
    with contextlib.suppress(NotANumber):
        parse_number(text)


def test_decode_utf8_with_bom_and_cp1252_and_utf16() -> None:
    assert decode_text(codecs.BOM_UTF8 + "café".encode()) == ("café", "utf-8")
    assert decode_text("Côte d'Ivoire".encode("cp1252")) == ("Côte d'Ivoire", "cp1252")
    assert decode_text("Müller".encode("utf-16")) == ("Müller", "utf-16")
    # 0x81 is undefined in Windows-1252: Latin-1 takes any byte.
    assert decode_text(b"a\x81b")[1] == "latin-1"


def test_mojibake_from_an_earlier_wrong_decode_is_repaired() -> None:
    assert repair_mojibake("CÃ´te d'Ivoire") == "Côte d'Ivoire"
    assert repair_mojibake("Björk – Café") == "Björk – Café"


@pytest.mark.parametrize(
    ("delimiter", "name"), [(",", "comma"), (";", "semicolon"), ("\t", "tab"), ("|", "bar")]
)
def test_delimiter_is_sniffed(delimiter: str, name: str) -> None:
    content = csv_bytes(
        [["handle", "followers", "country"], ["a", "1,234", "FR"], ["b", "12,5K", "DE"]],
        delimiter=delimiter,
    )
    table = open_table(content)
    assert table.delimiter == delimiter, name
    assert [c.header for c in table.columns] == ["handle", "followers", "country"]
    assert [cells[1] for _, cells in table.rows()] == ["1,234", "12,5K"]


def test_semicolon_file_with_decimal_commas() -> None:
    assert sniff_delimiter("a;b;c\n1,5;2,5;3\n4;5,5;6\n") == ";"


def test_latin1_file_and_headers_with_line_breaks() -> None:
    content = csv_bytes(VENDOR_LIKE, encoding="utf-8")
    table = open_table(content)
    assert table.encoding == "utf-8"
    labels = [c.label for c in table.columns]
    assert labels[5:7] == ["Followers", "Followers (2)"]
    assert labels[8] == "Authentic engagement"
    latin = csv_bytes([["Youtuber", "Country"], ["Zé", "Côte d'Ivoire"]], encoding="cp1252")
    table = open_table(latin)
    assert table.encoding == "cp1252"
    assert list(table.rows()) == [(2, ["Zé", "Côte d'Ivoire"])]


def test_row_numbers_are_spreadsheet_rows() -> None:
    """A quoted cell spanning two lines is one row; blank rows are skipped but counted."""
    content = b'handle,bio\r\na,"line one\r\nline two"\r\n,\r\n\r\nb,x\r\n'
    table = open_table(content)
    assert [(n, cells[0]) for n, cells in table.rows()] == [(2, "a"), (5, "b")]
    assert table.count_rows() == 2


def test_title_lines_above_the_header_are_skipped() -> None:
    content = (
        b"Top creators, December\r\n\r\nhandle,followers,country,posts,category\r\n"
        b"x,1,FR,3,food\r\n"
    )
    table = open_table(content)
    assert table.header_row == 3
    assert [c.header for c in table.columns][:2] == ["handle", "followers"]
    assert list(table.rows()) == [(4, ["x", "1", "FR", "3", "food"])]


def test_short_rows_are_padded() -> None:
    table = open_table(b"a,b,c\r\n1\r\n")
    assert list(table.rows()) == [(2, ["1", "", ""])]


def test_xlsx_first_sheet_or_named_sheet() -> None:
    content = xlsx_bytes(
        {
            "Instagram": [
                ["Username", "Followers", "ER"],
                ["alice", 12500, 0.0139],
                [None, None, None],
                ["bob", "1.2M", "2%"],
            ],
            "TikTok": [["Tiktoker name", "Followers"], ["carol", 5]],
        }
    )
    table = open_table(content)
    assert table.format == "xlsx"
    assert table.sheets == ["Instagram", "TikTok"]
    assert table.sheet == "Instagram"
    assert list(table.rows()) == [(2, ["alice", 12500, 0.0139]), (4, ["bob", "1.2M", "2%"])]
    other = open_table(content, "TikTok")
    assert [c.header for c in other.columns] == ["Tiktoker name", "Followers"]
    with pytest.raises(ValidationFailed, match=r"no sheet 'Nope'.*Instagram, TikTok"):
        open_table(content, "Nope")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"   \r\n", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel .xls"),
        (b"%PDF-1.7\n\x00\x01\x02\x03binary", "neither a CSV nor an .xlsx"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "neither a CSV nor an .xlsx"),
        (b"PK\x03\x04garbage", "damaged"),
    ],
)
def test_unsupported_files_are_refused_with_the_reason(content: bytes, message: str) -> None:
    with pytest.raises(UnsupportedFile, match=message) as caught:
        open_table(content)
    assert caught.value.status_code == 422


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    with pytest.raises(UnsupportedFile, match="not an Excel workbook"):
        open_table(buffer.getvalue())


def test_size_limit() -> None:
    check_size(MAX_FILE_BYTES)
    with pytest.raises(FileTooLarge, match="the limit is 50 MB") as caught:
        check_size(MAX_FILE_BYTES + 1)
    assert caught.value.status_code == 413


def test_column_letters() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]
