"""Page parameters shared by lists in every face."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from tastemaker.kit.errors import ValidationFailed

T = TypeVar("T")

MAX_PAGE_SIZE = 200


def check_page_size(size: int, field: str = "limit") -> None:
    """Every list answers 1 to MAX_PAGE_SIZE rows at a time; anything else is refused."""
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ValidationFailed(
            f"{field} must be between 1 and {MAX_PAGE_SIZE}", details={"field": field}
        )


@dataclass(frozen=True)
class PageParams:
    page: int = 1
    per_page: int = 50

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@dataclass
class Page(Generic[T]):
    items: list[T]
    page: int
    per_page: int
    has_next: bool
