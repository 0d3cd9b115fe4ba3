"""BPS source configuration (``ingestion/bps/bps.toml`` or ``$KINERJA_BPS_CONFIG``)."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_CONFIG = Path(__file__).with_name("bps.toml")
HARGA = ("ADHB", "ADHK")


@dataclass(frozen=True)
class Domain:
    kode: str
    nama: str
    peran: str  # DAERAH (the agency's own region) or NASIONAL
    nama_di_judul: tuple[str, ...]
    variabel: dict[str, int]  # harga -> BPS var id


@dataclass(frozen=True)
class ApiSettings:
    base_url: str = "https://webapi.bps.go.id/v1/api"
    lang: str = "ind"
    timeout_seconds: float = 30.0
    attempts: int = 5
    backoff_seconds: float = 2.0
    max_wait_seconds: float = 120.0
    years_per_call: int = 2
    user_agent: str = "Mozilla/5.0 Kinerja/0.1"


@dataclass(frozen=True)
class BpsConfig:
    api: ApiSettings
    domains: tuple[Domain, ...]
    seri: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def domain(self, kode: str) -> Domain:
        for d in self.domains:
            if d.kode == kode:
                return d
        raise KeyError(f"BPS domain {kode} is not configured; known: {', '.join(d.kode for d in self.domains)}")

    def variable(self, var_id: int) -> tuple[Domain, str] | None:
        """The domain and price basis a configured variable id belongs to."""
        for d in self.domains:
            for harga, vid in d.variabel.items():
                if vid == var_id:
                    return d, harga
        return None

    def seri_of(self, label: str) -> str | None:
        key = normalise_label(label)
        for seri, labels in self.seri.items():
            if key in {normalise_label(x) for x in labels}:
                return seri
        return None


_ENUMERATOR = re.compile(r"^\s*(?:[A-Za-z](?:\s*,\s*[A-Za-z])*|\d+[a-z]?|[IVX]+)\s*[.)]\s+")


def normalise_label(label: str) -> str:
    """``"C. Industri Pengolahan "`` -> ``"industri pengolahan"``: no HTML markup, enumerator, case or punctuation."""
    text = _ENUMERATOR.sub("", re.sub(r"<[^>]+>", " ", str(label)).strip())
    text = re.sub(r"[^0-9a-z]+", " ", text.lower())
    return " ".join(text.split())


def load_config(path: str | Path | None = None) -> BpsConfig:
    path = Path(path or os.environ.get("KINERJA_BPS_CONFIG") or DEFAULT_CONFIG)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"BPS configuration {path} cannot be read: {exc}") from None
    api = ApiSettings(**raw.get("api", {}))
    base = os.environ.get("KINERJA_BPS_BASE_URL")
    if base:
        api = ApiSettings(**{**api.__dict__, "base_url": base})
    domains = []
    for d in raw.get("domain", []):
        variabel = {str(k).upper(): int(v) for k, v in d.get("variabel", {}).items()}
        bad = [k for k in variabel if k not in HARGA]
        if bad:
            raise ValueError(f"BPS configuration {path}: domain {d.get('kode')} has unknown price basis {bad}; use ADHB or ADHK")
        domains.append(
            Domain(
                kode=str(d["kode"]),
                nama=d["nama"],
                peran=d.get("peran", "DAERAH"),
                nama_di_judul=tuple(d.get("nama_di_judul", [d["nama"]])),
                variabel=variabel,
            )
        )
    seri = {k: tuple(v) for k, v in raw.get("seri", {}).items()}
    return BpsConfig(api=api, domains=tuple(domains), seri=seri)
