"""Shared fixtures: one real run of the main job on the bundled sample, into a temporary home."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

# Airflow reads its home at import; keep the tests' Airflow state out of the user's ~/airflow.
os.environ.setdefault("AIRFLOW_HOME", tempfile.mkdtemp(prefix="kinerja-airflow-"))
os.environ.setdefault("AIRFLOW__CORE__LOAD_EXAMPLES", "False")

import pytest

from kinerja import pipeline
from kinerja.config import SAMPLE_INBOX, Settings

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def pytest_collection_modifyitems(config, items):
    """tests/unit/ need no build (``make test-fast``); tests/e2e/ run the pipeline."""
    for item in items:
        folder = Path(str(item.fspath)).parent.name
        if folder in ("unit", "e2e"):
            item.add_marker(getattr(pytest.mark, folder))


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="session")
def published(tmp_path_factory) -> tuple[Settings, pipeline.RunResult]:
    """The main job run once on the sample inbox; tests read the serving file it published."""
    home = tmp_path_factory.mktemp("home")
    settings = Settings.from_env(home=home, inbox=SAMPLE_INBOX)
    result = pipeline.run(settings)
    return settings, result


@pytest.fixture
def home_copy(published, tmp_path) -> Settings:
    """A private copy of the published installation (landing zone, warehouse) to break things in."""
    settings, _ = published
    home = tmp_path / "home"
    shutil.copytree(settings.home, home, ignore=shutil.ignore_patterns("state"))
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLE_INBOX, inbox)
    return Settings.from_env(home=home, inbox=inbox)


@pytest.fixture
def smtp():
    """A real SMTP server on loopback (aiosmtpd): its inbox and the apprise URL that delivers to it."""
    from tests.smtp_server import smtp_server

    with smtp_server() as (inbox, url):
        yield inbox, url
