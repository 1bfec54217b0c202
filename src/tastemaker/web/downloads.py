"""Files the pages and the API hand out as downloads."""

from __future__ import annotations

from fastapi.responses import Response

# Of the name a download is saved as, before ".csv".
MAX_STEM = 120


def csv_download(body: str | bytes, filename_stem: str) -> Response:
    """A CSV answered as an attachment. It is saved as `filename_stem`, made safe in a
    header on every system (ASCII letters and digits, '-', '_' and '.'; anything else '_';
    at most MAX_STEM of them), then '.csv'."""
    safe = "".join(
        ch if (ch.isascii() and ch.isalnum()) or ch in "-_." else "_" for ch in filename_stem
    )
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{safe[:MAX_STEM]}.csv"'},
    )
