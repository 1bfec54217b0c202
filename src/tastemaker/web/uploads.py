"""Files people upload through a form or the API: read once, within the size limit."""

from __future__ import annotations

from fastapi import UploadFile

from tastemaker.imports.parsing import MAX_FILE_BYTES, check_size


def read_upload(upload: UploadFile) -> bytes:
    """Reads at most one byte past the limit, so an oversized upload is refused without
    being held in memory whole."""
    content = upload.file.read(MAX_FILE_BYTES + 1)
    check_size(len(content))
    return content
