"""Row ids are 64-bit integers; a larger or non-positive number can name no row."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

MAX_ID = 2**63 - 1

# For path parameters: out-of-range ids are refused with 422 before they reach a query.
IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]


def is_valid_id(value: int) -> bool:
    return 1 <= value <= MAX_ID
