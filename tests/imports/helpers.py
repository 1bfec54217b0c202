"""Small files built in the tests: no test reads the shared data set unless it says so."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

import openpyxl


def csv_bytes(
    rows: Sequence[Sequence[Any]], *, delimiter: str = ",", encoding: str = "utf-8"
) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(sheets: dict[str, Sequence[Sequence[Any]]]) -> bytes:
    workbook = openpyxl.Workbook()
    first = True
    for name, rows in sheets.items():
        sheet = workbook.active if first else workbook.create_sheet(name)
        assert sheet is not None
        sheet.title = name
        first = False
        for row in rows:
            sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# A list shaped like the vendor exports: repeated headers, compact numbers, N/A, a percent.
VENDOR_LIKE: list[list[Any]] = [
    [
        "S.no",
        "Influencer insta name",
        "instagram name",
        "category_1",
        "category_2",
        "Followers",
        "Followers",
        "Audience country(mostly)",
        "Authentic engagement\n",
        "Engagement avg\r\n",
        "Engagement rate",
    ],
    [
        1,
        "cristiano",
        "Cristiano Ronaldo",
        "Sports with a ball",
        "",
        "475.8M",
        "475800000",
        "Spain",
        "5M",
        "6.2M",
        "1.39%",
    ],
    [
        2,
        "kyliejenner",
        "Kylie 🤍",
        "Fashion",
        "Modeling",
        "366.2M",
        "366200000",
        "United States",
        "3.5M",
        "5.5M",
        "1.62%",
    ],
    [
        3,
        "leomessi",
        "Leo Messi",
        "Sports with a ball",
        "Family",
        "357.3M",
        "357300000",
        "N/A",
        "2.9M",
        "4M",
        "N/A",
    ],
    [4, "", "Nobody", "Music", "", "1.2M", "1200000", "India", "1K", "2K", "1%"],
    [5, "badnumber", "Bad Number", "Music", "", "12x", "", "India", "1K", "2K", "1%"],
    [6, "negative", "Negative", "Music", "", "-5", "", "India", "1K", "2K", "1%"],
]
