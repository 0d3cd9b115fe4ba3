"""The notice channel: one way to tell people something (planners: figures changed; operators: a
run failed), through apprise (e-mail, webhooks, chat), configured once.

Settings: ``KINERJA_NOTIFY_URLS`` (apprise URLs, comma separated, e.g.
``mailtos://user:pass@smtp.example.go.id?to=perencanaan@example.go.id``, ``json://host/hook``) or
the Airflow connection ``kinerja_notify`` (its password holds the URLs, so Airflow masks them).
A URL's credentials never reach a log line or an error: channels are named by scheme and host only.
Sending never raises: a failing channel is retried, then reported in the result, so a notice can
never fail or undo the publish it reports on.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

log = logging.getLogger("kinerja.notify")
ENV = "KINERJA_NOTIFY_URLS"
AIRFLOW_CONNECTION = "kinerja_notify"


def redacted(url: str) -> str:
    """``mailtos://user:secret@smtp.host:465?to=x`` -> ``mailtos://smtp.host:465``."""
    parts = urlsplit(url)
    host = parts.hostname or "?"
    return f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")


def configured_urls(connection=None) -> list[str]:
    """The channels: from an Airflow connection (password, or host) if given, else the environment."""
    text = ""
    if connection is not None:
        text = connection.password or connection.host or ""
    text = text or os.environ.get(ENV, "")
    return [u.strip() for u in text.replace("\n", ",").split(",") if u.strip()]


@dataclass
class NoticeResult:
    sent: list[str] = field(default_factory=list)  # redacted channels that took the message
    failed: list[str] = field(default_factory=list)  # redacted channel: reason

    @property
    def ok(self) -> bool:
        return not self.failed

    def describe(self) -> str:
        if not self.sent and not self.failed:
            return "no notice channel configured (KINERJA_NOTIFY_URLS)"
        parts = [f"sent to {', '.join(self.sent)}"] if self.sent else []
        parts += [f"FAILED {f}" for f in self.failed]
        return "; ".join(parts)


def send(
    title: str,
    body: str,
    urls: Iterable[str] | None = None,
    attachments: Iterable[Path] = (),
    attempts: int = 3,
    backoff_seconds: float = 2.0,
) -> NoticeResult:
    """Send one message to every channel, each retried with backoff; never raises."""
    import apprise

    result = NoticeResult()
    channels = list(configured_urls() if urls is None else urls)
    files = [str(p) for p in attachments if Path(p).exists()]
    logging.getLogger("apprise").setLevel(logging.CRITICAL)  # it logs URLs with their credentials
    for url in channels:
        shown = redacted(url)
        sender = apprise.Apprise()
        if not sender.add(url):
            result.failed.append(f"{shown}: not a valid notice URL")
            continue
        for attempt in range(1, attempts + 1):
            try:
                done = sender.notify(title=title, body=body, attach=apprise.AppriseAttachment(files) if files else None)
            except Exception as exc:  # a channel's own failure must not end the caller
                done, reason = False, type(exc).__name__
            else:
                reason = "the channel refused or could not be reached"
            if done:
                result.sent.append(shown)
                break
            if attempt < attempts:
                time.sleep(backoff_seconds * 2 ** (attempt - 1))
        else:
            result.failed.append(f"{shown}: {reason} after {attempts} attempt(s)")
    for line in result.failed:
        log.warning("notice not delivered: %s", line)
    return result
