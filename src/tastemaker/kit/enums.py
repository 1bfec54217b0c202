"""Store enums as their string values, portable across SQLite and PostgreSQL."""

from __future__ import annotations

import enum

from sqlalchemy import Enum


def str_enum(cls: type[enum.Enum]) -> Enum:
    return Enum(cls, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e])
