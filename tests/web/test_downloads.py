"""web.downloads: files the pages and the API hand out."""

from __future__ import annotations

import pytest

from tastemaker.web.downloads import csv_download


@pytest.mark.parametrize(
    ("stem", "filename"),
    [
        ("instagram:ana.lima-brand-safety-7", "instagram_ana.lima-brand-safety-7.csv"),
        ('a "quoted"; name\r\nX-Evil: 1', "a__quoted___name__X-Evil__1.csv"),
        ("création 創作", "cr_ation___.csv"),  # ASCII only: a header is Latin-1 at most
        ("x" * 300, "x" * 120 + ".csv"),
    ],
)
def test_a_download_is_named_safely_in_its_header(stem: str, filename: str) -> None:
    response = csv_download("a,b\r\n", stem)
    assert response.headers["content-disposition"] == f'attachment; filename="{filename}"'
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.body == b"a,b\r\n"
