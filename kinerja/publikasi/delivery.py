"""The notice of a publication set, sent once per publish and channel.

The notice is composed when the set is written and stored in its manifest (``publikasi.json``,
key ``pemberitahuan``: subject, body, attachment), so whoever sends it later — the CLI right after
the publish, or the Airflow DAG ``kinerja_publikasi`` that consumes the marts Asset — sends exactly
what the set says, without reading the warehouse again.

Exactly once: every channel that took the notice of a publish is recorded in
``state/pemberitahuan.json`` (keyed by the publish's ``run_id``; a channel by a hash of its URL,
never the URL, which may hold a password). A second send for the same publish (a retry, a second
Asset event, a re-run with nothing new) skips the channels recorded and sends to the others only.
A lock file serialises senders, so two consumer runs cannot both send.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from kinerja import notify
from kinerja.config import Settings

RECORD = "pemberitahuan.json"
KEEP_PUBLISHES = 50  # the record keeps the latest publishes only


@dataclass
class Delivery:
    """What a send did for the notice of one publish."""

    run_id: str | None
    pending: bool  # the set holds a notice (something moved, or a source went stale)
    sent: list[str] = field(default_factory=list)  # redacted channels that took it now
    already: list[str] = field(default_factory=list)  # redacted channels that had it from an earlier send
    failed: list[str] = field(default_factory=list)  # "redacted channel: reason"
    channels: int = 0  # channels configured

    @property
    def ok(self) -> bool:
        return not self.failed

    def describe(self) -> str:
        if not self.pending:
            return f"the publication set of publish {self.run_id} has nothing to tell (nothing moved, no source went stale); no notice sent"
        if not self.channels:
            return f"notice of publish {self.run_id} not sent: {notify.NoticeResult().describe()}"
        parts = [f"notice sent to {', '.join(self.sent)}"] if self.sent else []
        if self.already:
            parts.append(f"notice already sent earlier to {', '.join(self.already)}")
        parts += [f"FAILED {f}" for f in self.failed]
        return "; ".join(parts) + f" (publish {self.run_id})"


def channel_key(url: str) -> str:
    """A channel's name in the record: a hash of its full URL (which may hold a password)."""
    return hashlib.sha256(url.encode()).hexdigest()[:16]


def _read(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _write(path: Path, record: dict) -> None:
    scratch = path.with_name(f".{path.name}.tmp")
    scratch.write_text(json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(scratch, path)


@contextmanager
def _locked(settings: Settings) -> Iterator[Path]:
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    with (settings.state_dir / "pemberitahuan.lock").open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)  # waits: a send takes seconds, and the second sender must see the first's record
        try:
            yield settings.state_dir / RECORD
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def recorded(settings: Settings, run_id: str) -> dict[str, dict]:
    """The channels (key -> {saluran, pada}) that took the notice of publish ``run_id``."""
    return dict((_read(settings.state_dir / RECORD).get(run_id) or {}).get("terkirim") or {})


def send_pending(settings: Settings, folder: Path, urls: list[str] | None = None) -> Delivery:
    """Send the notice stored in the set in ``folder`` to every configured channel that has not
    had it yet (``urls``, default ``KINERJA_NOTIFY_URLS``). Never raises for a channel: a failing
    one is retried by :func:`kinerja.notify.send`, then reported in the result (and sent on the
    next call)."""
    manifest = _read(folder / "publikasi.json")
    run_id = manifest.get("run_id")
    notice = manifest.get("pemberitahuan")
    channels = list(notify.configured_urls() if urls is None else urls)
    delivery = Delivery(run_id=run_id, pending=bool(notice), channels=len(channels))
    if not notice or not channels:
        return delivery
    attachments = [folder / name for name in notice.get("lampiran") or []]
    with _locked(settings) as path:
        record = _read(path)
        done = (record.get(run_id) or {}).get("terkirim") or {}
        for url in channels:
            key, shown = channel_key(url), notify.redacted(url)
            if key in done:
                delivery.already.append(shown)
                continue
            result = notify.send(notice["judul"], notice["isi"], urls=[url], attachments=attachments)
            if result.sent:
                delivery.sent.append(shown)
                done[key] = {"saluran": shown, "pada": datetime.now(UTC).isoformat()}
                record[run_id] = {"terkirim": done}
                _write(path, dict(list(record.items())[-KEEP_PUBLISHES:]))  # after each channel: a kill loses nothing sent
            else:
                delivery.failed += result.failed
    return delivery
