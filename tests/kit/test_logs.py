from __future__ import annotations

import logging

import pytest

from tastemaker.kit.logs import RedactSecrets, redact


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("GET /reset-password?token=abc123XYZ HTTP/1.1", "GET /reset-password?token=*** HTTP/1.1"),
        ("/invitations/Zx9-_abc/accept", "/invitations/***/accept"),
        ("/x?a=1&password=hunter2&b=2", "/x?a=1&password=***&b=2"),
        ("Authorization: Bearer tm_abcdefghijklmnop", "Authorization: Bearer tm_***"),
        ("/w/acme/creators?tier=micro", "/w/acme/creators?tier=micro"),
    ],
)
def test_redact(raw: str, expected: str) -> None:
    assert redact(raw) == expected


def test_access_log_record_is_masked(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("uvicorn.access.test")
    logger.addFilter(RedactSecrets())
    with caplog.at_level(logging.INFO, logger="uvicorn.access.test"):
        logger.info(
            '%s - "%s %s HTTP/%s" %d',
            "127.0.0.1",
            "GET",
            "/reset-password?token=s3cr3t",
            "1.1",
            200,
        )
    assert "s3cr3t" not in caplog.text and "token=***" in caplog.text
