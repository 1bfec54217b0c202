"""Files people upload through a form or the API: read once, within the size limit."""

from __future__ import annotations

from fastapi import UploadFile

from tastemaker.imports import parsing


def read_upload(upload: UploadFile) -> bytes:
    """Reads at most one byte past the limit (parsing.MAX_FILE_BYTES, the one limit of
    every uploaded file), so an oversized upload is refused without being held in memory
    whole."""
    content = upload.file.read(parsing.MAX_FILE_BYTES + 1)
    parsing.check_size(len(content))
    return content
