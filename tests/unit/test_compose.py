"""The deployment (docker-compose.yml, Dockerfile, .env.example, .dockerignore), checked offline:
Debian's docker-compose 1.29 (`config -q`: semantics, e.g. undefined services in depends_on) and the
compose-spec JSON schema (check-jsonschema: the modern spec), then what the layout promises."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
SECRETS = (
    "AIRFLOW_DB_PASSWORD",
    "AIRFLOW__CORE__FERNET_KEY",
    "AIRFLOW__API_AUTH__JWT_SECRET",
    "AIRFLOW__API__SECRET_KEY",
    "KINERJA_ADMIN_PASSWORD",
)
OPTIONAL_SECRETS = ("KINERJA_BPS_KEY", "KINERJA_NOTIFY_URLS", "KINERJA_SERVING_DB_PASSWORD")
AIRFLOW_SERVICES = ("airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-triggerer")
PROFILES = ("celery", "serving", "debug")
VOLUMES = {
    "/data/inbox": "inbox",
    "/data/kinerja/landing": "landing",
    "/data/kinerja/warehouse": "warehouse",  # with the publications (warehouse/publikasi/)
}


def docker_compose() -> str:
    found = shutil.which("docker-compose")
    if found is None:
        pytest.fail(
            "docker-compose (Debian's 1.29, which validates a compose file without a Docker engine) is not installed: "
            "`make test` installs it when run as root with apt-get; otherwise run `apt-get install -y docker-compose`"
        )
    return found


def _compose(*args: str, secrets: bool = True) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in SECRETS}
    if secrets:
        env.update({name: f"test-{name.lower()}" for name in SECRETS})
    cmd = [docker_compose(), "--env-file", str(ENV_EXAMPLE), "-f", str(COMPOSE), *args]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, cwd=ROOT)


def _resolved(*profiles: str) -> dict:
    flags = [arg for p in profiles for arg in ("--profile", p)]
    done = _compose(*flags, "config")
    assert done.returncode == 0, done.stderr
    return yaml.safe_load(done.stdout)


def test_debian_docker_compose_1_29_accepts_the_file_with_every_profile():
    version = subprocess.run([docker_compose(), "version", "--short"], capture_output=True, text=True, check=True).stdout
    assert version.startswith("1."), f"expected Debian's docker-compose 1.29 (the older, stricter parser), got {version}"
    for profiles in ((), PROFILES):
        flags = [arg for p in profiles for arg in ("--profile", p)]
        done = _compose(*flags, "config", "-q")
        assert done.returncode == 0, f"docker-compose config -q {' '.join(flags)}:\n{done.stderr}"


def test_the_compose_spec_json_schema_accepts_the_file():
    checker = Path(sys.executable).with_name("check-jsonschema")
    done = subprocess.run(
        [str(checker), "--builtin-schema", "vendor.compose-spec", str(COMPOSE)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_deployment_refuses_to_start_without_its_secrets():
    done = _compose("config", "-q", secrets=False)
    assert done.returncode != 0
    assert "AIRFLOW_DB_PASSWORD" in done.stderr and ".env" in done.stderr, done.stderr


def test_every_setting_is_in_env_example_and_no_secret_is_committed():
    used = set(re.findall(r"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)", COMPOSE.read_text()))
    example = dict(line.split("=", 1) for line in ENV_EXAMPLE.read_text().splitlines() if line.strip() and not line.startswith("#"))
    assert used == set(example), f"in the compose file only: {used - set(example)}; in .env.example only: {set(example) - used}"
    for name in (*SECRETS, *OPTIONAL_SECRETS):
        assert example[name] == "", f"{name} must stay empty in .env.example"
    assert example["AIRFLOW__CORE__EXECUTOR"] == "LocalExecutor"


def test_the_service_layout_follows_airflow_s_official_compose_file():
    raw = yaml.safe_load(COMPOSE.read_text())
    assert "version" not in raw and "name" not in raw  # obsolete / newer than compose 1.29
    config = _resolved()
    services = {name: s for name, s in config["services"].items() if not s.get("profiles")}  # what `up` starts
    assert set(services) == {"postgres", "airflow-init", *AIRFLOW_SERVICES}
    for name in AIRFLOW_SERVICES:
        service = services[name]
        assert service["restart"] == "always", name
        assert {"test", "interval", "timeout", "retries", "start_period"} <= set(service["healthcheck"]), name
        assert service["depends_on"] == {
            "postgres": {"condition": "service_healthy"},
            "airflow-init": {"condition": "service_completed_successfully"},
        }, name
        assert service["environment"]["AIRFLOW__CORE__EXECUTOR"] == "LocalExecutor"
        assert service["environment"]["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"].startswith("postgresql+psycopg2://airflow:")
        mounts = dict(reversed(m.split(":")[:2]) for m in service["volumes"])  # target -> source (short syntax)
        # only named volumes: the checkout (and its .venv) is never mounted into a container
        assert set(mounts.values()) <= set(config["volumes"]), f"{name} mounts a host path: {mounts}"
        for folder, volume in VOLUMES.items():
            assert mounts[folder] == volume, (name, folder)
        # folders swapped in by a rename (kinerja.files.swap_dir) must not be mount points
        assert not any(t.startswith("/data/kinerja/warehouse/") for t in mounts), mounts
    assert services["postgres"]["healthcheck"]["test"][:2] == ["CMD", "pg_isready"]
    assert services["postgres"]["restart"] == "always"
    assert [c for c in services["airflow-scheduler"]["healthcheck"]["test"] if "8974/health" in c]


def test_the_celery_profile_adds_redis_and_a_worker():
    services = _resolved("celery")["services"]
    assert services["redis"]["profiles"] == ["celery"] and services["airflow-worker"]["profiles"] == ["celery"]
    worker = services["airflow-worker"]
    assert worker["command"] in ("celery worker", ["celery", "worker"])
    assert worker["depends_on"]["redis"] == {"condition": "service_healthy"}
    assert worker["environment"]["AIRFLOW__CELERY__BROKER_URL"] == "redis://:@redis:6379/0"
    serving = _resolved("serving")["services"]["serving-db"]
    assert serving["profiles"] == ["serving"] and serving["image"].startswith("postgres:")


def test_init_migrates_and_creates_the_pool_and_the_administrator():
    from kinerja import airflow_support

    init = _resolved()["services"]["airflow-init"]
    script = "\n".join(init["command"])
    assert "airflow db migrate" in script and "python -m kinerja.airflow_support" in script
    assert init["environment"][airflow_support.ADMIN_PASSWORD_ENV] == "test-kinerja_admin_password"
    assert init["environment"][airflow_support.PASSWORDS_FILE_ENV] == "/opt/airflow/auth/passwords.json"
    assert airflow_support.pool_command()[3:5] == [airflow_support.WAREHOUSE_POOL, "1"]


def test_the_image_installs_the_locked_environment_at_build_time_and_nothing_at_start():
    dockerfile = (ROOT / "Dockerfile").read_text()
    lock = tomllib.loads((ROOT / "uv.lock").read_text())
    airflow = next(p["version"] for p in lock["package"] if p["name"] == "apache-airflow")
    assert f"ARG AIRFLOW_VERSION={airflow}\n" in dockerfile
    assert "FROM apache/airflow:${AIRFLOW_VERSION}-python${PYTHON_VERSION}" in dockerfile
    python = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert re.search(r"ARG PYTHON_VERSION=(\S+)", dockerfile).group(1) in python
    uv = re.search(r"UV_VERSION := (\S+)", (ROOT / "Makefile").read_text()).group(1)
    assert f"ARG UV_VERSION={uv}\n" in dockerfile
    assert dockerfile.count("uv sync --frozen --no-dev") == 2
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert {".venv/", ".tools/", ".env", "landing/", "warehouse/", "state/"} <= set(ignored)
    text = COMPOSE.read_text()
    for install in ("pip install", "uv sync", "uv pip", "apt-get", "make install", "_PIP_ADDITIONAL_REQUIREMENTS"):
        assert install not in text, f"the compose file installs at start: {install}"
