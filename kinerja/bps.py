"""BPS PDRB steps: land file drops from the inbox, and poll the WebAPI for a new release.

Both paths end in the same place: typed rows (``ingestion.bps``), validated by the Great
Expectations suite ``bps__pdrb``, landed as one immutable batch (original + rows) in
``landing/bps/pdrb/``. Every batch is a vintage: a revised figure for an earlier year arrives in
a later batch and wins in staging, while the earlier batch stays and can be rebuilt with
``kinerja rebuild --as-of``.

A poll lands a batch only when some figure differs from the latest landed value of its key
(domain, harga, lapangan usaha, tahun, periode): a poll that finds nothing new lands nothing,
emits no Asset event and triggers no rebuild.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import tempfile
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pandas as pd

from ingestion.bps import ENTITY, SOURCE, SUITE, for_validation
from ingestion.bps.answer import NotAvailable, rows_from_answer
from ingestion.bps.client import BpsClient
from ingestion.bps.config import BpsConfig, load_config, normalise_label
from ingestion.bps.errors import BpsError
from ingestion.bps.saved import BUNDLE_FORMAT
from ingestion.errors import InputFileError
from kinerja import landing, quality
from kinerja.config import Settings
from kinerja.progress import Reporter, silent


def _key(domain: str, harga: str, uraian: str, tahun: int, periode: str) -> tuple:
    return (str(domain), harga, normalise_label(uraian), int(tahun), periode)


def validate(rows: pd.DataFrame, config: BpsConfig, source_file: Path) -> None:
    """The poll's answers through the suite of the BPS entity, as a dropped file is validated."""
    quality.validate_frame(SUITE, for_validation(rows), {"domain_dikenal": [d.kode for d in config.domains]}, source_file, SOURCE)


def latest_landed_values(settings: Settings) -> dict[tuple, Decimal | None]:
    """The current value of every key over all landed BPS batches (latest landed wins)."""
    # retracted batches included: a retracted release is not landed again by the next poll; only
    # a figure BPS publishes anew (a revision) is
    batches = landing.landed_batches(settings.landing_dir, SOURCE, ENTITY, include_retracted=True)
    latest: dict[tuple, Decimal | None] = {}
    for batch in sorted(batches, key=lambda b: (b.landed_at, b.batch_id)):
        rows = pd.read_parquet(batch.rows_path(settings.landing_dir), columns=["domain", "harga", "uraian", "tahun", "periode", "nilai"])
        for domain, harga, uraian, tahun, periode, nilai in rows.itertuples(index=False):
            if nilai is not None and nilai == nilai:
                latest[_key(domain, harga, uraian, tahun, periode)] = Decimal(str(nilai))
    return latest


def changed_rows(rows: pd.DataFrame, latest: dict[tuple, Decimal | None]) -> int:
    """How many rows carry a figure not equal to the latest landed value of their key."""
    changed = 0
    for domain, harga, uraian, tahun, periode, nilai in rows[["domain", "harga", "uraian", "tahun", "periode", "nilai"]].itertuples(
        index=False
    ):
        if nilai is None:
            continue
        if latest.get(_key(domain, harga, uraian, tahun, periode)) != Decimal(str(nilai)):
            changed += 1
    return changed


def poll_years(today: date | None = None) -> list[int]:
    """The two years a release can touch: until March the year just closed and the one before
    (the annual release revises it); from April the current year and the one before."""
    today = today or date.today()
    last = today.year - 1 if today.month <= 3 else today.year
    return [last - 1, last]


@dataclass
class PollResult:
    requests: int
    answers: int
    not_available: list[str] = field(default_factory=list)
    rows: int = 0
    changed: int = 0
    batch: landing.Batch | None = None

    @property
    def new_release(self) -> bool:
        return self.batch is not None

    def as_dict(self) -> dict:
        return {
            "requests": self.requests,
            "answers": self.answers,
            "not_available": self.not_available,
            "rows": self.rows,
            "changed": self.changed,
            "batch_id": self.batch.batch_id if self.batch else None,
        }


def poll(
    settings: Settings,
    key: str,
    years: list[int] | None = None,
    config: BpsConfig | None = None,
    progress: Reporter = silent,
    client: BpsClient | None = None,
    lock: Callable[[], AbstractContextManager] = nullcontext,
) -> PollResult:
    """Ask BPS for every configured variable over ``years`` (default :func:`poll_years`), and land
    one batch if any figure is new or revised. Raises a BpsError (nothing landed) on any failure.
    The network calls run outside ``lock`` (the run lock); comparing and landing run inside it."""
    config = config or load_config()
    client = client or BpsClient(key, config)
    years = years or poll_years()
    answers = []
    for domain in config.domains:
        for harga, var_id in domain.variabel.items():
            progress(f"bps poll: {domain.nama} ({domain.kode}) {harga} var {var_id}, years {years[0]}-{years[-1]}")
            answers.extend(client.data(domain.kode, var_id, years))
    result = PollResult(requests=client.requests_made, answers=len(answers))
    frames = []
    for answer in answers:
        if answer.not_available:
            result.not_available.append(f"{answer.url}: {answer.not_available.reason}")
            progress(f"bps poll: {answer.url} -> {answer.not_available.reason}")
            continue
        rows = rows_from_answer(answer.body, config, answer.url, answer.domain)
        if isinstance(rows, NotAvailable):  # "available" but empty: nothing new, not an error
            result.not_available.append(f"{answer.url}: {rows.reason}")
            progress(f"bps poll: {answer.url} -> available but empty, nothing new")
            continue
        frames.append(rows)
    if not frames:
        return result
    rows = pd.concat(frames, ignore_index=True)
    rows["baris"] = range(1, len(rows) + 1)
    result.rows = len(rows)
    with lock():
        _compare_and_land(settings, config, years, answers, rows, result, progress)
    return result


def _compare_and_land(settings, config, years, answers, rows, result: PollResult, progress: Reporter) -> None:
    result.changed = changed_rows(rows, latest_landed_values(settings))
    if result.changed == 0:
        progress(f"bps poll: {len(rows)} figures, none new or revised; nothing landed")
        return
    bundle = {
        "format": BUNDLE_FORMAT,
        # when it was fetched: the same answers fetched again after other figures landed in
        # between (e.g. a CSV drop) are a new vintage again, never a re-used old batch
        "fetched_at": datetime.now(UTC).isoformat(),
        "answers": [{"domain": a.domain, "var": a.var_id, "years": list(a.years), "url": a.url, "answer": a.body} for a in answers],
    }
    text = json.dumps(bundle, sort_keys=True, ensure_ascii=False, indent=1)
    with tempfile.TemporaryDirectory(prefix="bps-poll-") as tmp:
        original = Path(tmp) / f"bps_webapi_{years[0]}-{years[-1]}.json"
        original.write_text(text, encoding="utf-8")
        try:
            validate(rows, config, original)
        except InputFileError as exc:
            kept = landing.quarantine(settings.quarantine_dir, original, str(exc), SOURCE, landing.sha256_of(original))
            raise BpsError(f"the BPS release failed validation and was not loaded (copy in {kept.parent}):\n{exc}") from None
        sha = landing.sha256_of(original)
        result.batch = landing.land(settings.landing_dir, SOURCE, ENTITY, original, sha, rows)
    progress(f"bps poll: {result.changed} new or revised figure(s); landed batch {result.batch.batch_id}")


def config_and_key(connection=None) -> tuple[BpsConfig, str]:
    """The BPS configuration and key from an Airflow connection (password = key; host, if set,
    the API base: ``webapi.bps.go.id`` with schema https, or a full URL) or, without one, from
    ``KINERJA_BPS_KEY``. Raises ValueError naming both places when there is no key."""
    config = load_config()
    key = os.environ.get("KINERJA_BPS_KEY")
    if connection is not None:
        key = connection.password or key
        if connection.host:
            host = connection.host
            base = host if "://" in host else f"{connection.schema or 'https'}://{host}"
            if connection.port:
                base = base.rstrip("/") + f":{connection.port}"
            base = base if "/v1/api" in base else base.rstrip("/") + "/v1/api"
            config = dataclasses.replace(config, api=dataclasses.replace(config.api, base_url=base))
    if not key:
        raise ValueError("no BPS WebAPI key: create the Airflow connection 'kinerja_bps' (password) or set KINERJA_BPS_KEY")
    return config, key


@dataclass
class SetupResult:
    found: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)  # (domain, harga) -> (var id, title)
    problems: list[str] = field(default_factory=list)  # missing or ambiguous, in words
    written: Path | None = None


def setup(
    key: str, target: Path, config: BpsConfig | None = None, client: BpsClient | None = None, progress: Reporter = silent
) -> SetupResult:
    """Find the variable ids of the configured series in the WebAPI's variable list of each domain
    (by their titles: quarterly, lapangan usaha, the price basis, the region; decoys such as the
    expenditure side, growth rates or shares are not candidates) and write them into ``target``
    (the operator's copy of the configuration, ``KINERJA_BPS_CONFIG``). Ambiguous or missing
    matches are reported, not guessed: then nothing is written."""
    from ingestion.bps import identity
    from ingestion.bps.config import DEFAULT_CONFIG

    config = config or load_config()
    client = client or BpsClient(key, config)
    result = SetupResult()
    for domain in config.domains:
        variables = client.variables(domain.kode)
        progress(f"bps setup: {domain.nama} ({domain.kode}): {len(variables)} variable(s) listed")
        for harga in ("ADHB", "ADHK"):
            matches = [
                (int(v["var_id"]), str(v.get("title", "")))
                for v in variables
                if "var_id" in v
                and "triwulan" in normalise_label(str(v.get("title", "")))
                and identity.problem(str(v.get("title", "")), domain, harga) is None
            ]
            if len(matches) == 1:
                result.found[(domain.kode, harga)] = matches[0]
            elif not matches:
                result.problems.append(
                    f"{domain.nama} ({domain.kode}) {harga}: no variable titled like {identity.expected(domain, harga)!r}"
                )
            else:
                listed = "; ".join(f"{i} {t!r}" for i, t in matches)
                result.problems.append(f"{domain.nama} ({domain.kode}) {harga}: {len(matches)} variables fit, choose one by hand: {listed}")
    if result.problems:
        return result
    base = target if target.exists() else DEFAULT_CONFIG
    text = base.read_text(encoding="utf-8")
    head, *blocks = text.split("[[domain]]")
    for i, block in enumerate(blocks):
        code = next((d.kode for d in config.domains if f'kode = "{d.kode}"' in block), None)
        if code is None:
            continue
        ids = ", ".join(f"{h} = {result.found[(code, h)][0]}" for h in ("ADHB", "ADHK"))
        block = re.sub(r"(?m)^variabel\s*=.*$", f"variabel = {{ {ids} }}  # found by `kinerja bps setup`", block, count=1)
        blocks[i] = block
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = target.with_name(f".{target.name}.{os.getpid()}")
    scratch.write_text("[[domain]]".join([head, *blocks]), encoding="utf-8")
    load_config(scratch)  # what is written must read back
    os.replace(scratch, target)
    result.written = target
    return result
