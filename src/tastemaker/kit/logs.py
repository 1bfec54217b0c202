"""Secrets never reach the logs: tokens in URLs (password reset, invitations) are masked."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

_PATTERNS = (
    (re.compile(r"(/invitations/)[^/?\s]+"), r"\1***"),
    (re.compile(r"((?:^|[?&])(?:token|key|secret|password)=)[^&\s]*", re.IGNORECASE), r"\1***"),
    (re.compile(r"\btm_[A-Za-z0-9_-]{8,}"), "tm_***"),
)


def redact(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def install_redaction() -> None:
    for name in ("uvicorn.access", "uvicorn.error", "tastemaker"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())


@contextmanager
def root_logging_kept() -> Iterator[None]:
    """Around importing a library that configures the root logger on import (WordLlama
    calls logging.basicConfig): the application's logging stays as the application set it."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
