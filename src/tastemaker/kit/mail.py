"""Outgoing e-mail over SMTP, sent after the transaction that queued it commits."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from tastemaker.kit.settings import get_settings

log = logging.getLogger(__name__)


def send_mail(to: str, subject: str, body: str) -> bool:
    """Returns False (and logs, without the body, which may hold a token) when unsent."""
    settings = get_settings()
    if not settings.smtp_host:
        log.warning("no SMTP host configured; e-mail %r to a recipient was not sent", subject)
        return False
    message = EmailMessage()
    message["From"] = settings.smtp_sender
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        log.error("sending e-mail %r failed: %s", subject, type(exc).__name__)
        return False
    return True
