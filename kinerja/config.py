"""Settings of a Kinerja installation: where the inbox, the landing zone and the warehouse live.

Every setting has a default that works on a fresh clone, can be set in the environment
(``KINERJA_*``) and is overridden by the CLI flags.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = Path(os.environ.get("KINERJA_DBT_PROJECT_DIR") or PROJECT_ROOT / "dbt_project").resolve()  # another copy: tests, forks
SUITES_DIR = PROJECT_ROOT / "expectations" / "suites"
SAMPLE_INBOX = PROJECT_ROOT / "sample_inbox"


@dataclass(frozen=True)
class Settings:
    """Paths of one installation. ``home`` holds ``landing/``, ``quarantine/``, ``warehouse/`` and ``state/``."""

    home: Path
    inbox: Path

    @classmethod
    def from_env(cls, home: str | Path | None = None, inbox: str | Path | None = None) -> Settings:
        home_path = Path(home or os.environ.get("KINERJA_HOME") or PROJECT_ROOT).resolve()
        inbox_path = Path(inbox or os.environ.get("KINERJA_INBOX") or SAMPLE_INBOX).resolve()
        return cls(home=home_path, inbox=inbox_path)

    @property
    def landing_dir(self) -> Path:
        return self.home / "landing"

    @property
    def quarantine_dir(self) -> Path:
        return self.home / "quarantine"

    @property
    def warehouse_dir(self) -> Path:
        return self.home / "warehouse"

    @property
    def serving_db(self) -> Path:
        """The published warehouse BI tools open read-only; replaced atomically by each publish.
        With ``KINERJA_SERVE=postgres`` BI tools read PostgreSQL instead (:mod:`kinerja.postgres`)
        and the file, still the pipeline's own record, lives outside ``warehouse/``."""
        if serve_postgres_only():
            return self.home / "pipeline" / "kinerja.duckdb"
        return self.warehouse_dir / "kinerja.duckdb"

    @property
    def exports_dir(self) -> Path:
        return self.warehouse_dir / "exports"

    @property
    def state_dir(self) -> Path:
        """Scratch space of the pipeline: build files, dbt target and logs. Safe to delete."""
        return self.home / "state"


def serve_postgres_only() -> bool:
    """``KINERJA_SERVE=postgres``: BI tools get the PostgreSQL serving database only (docs/bi.md)."""
    return os.environ.get("KINERJA_SERVE", "").strip().lower() == "postgres"
