"""Benchmark: how long a BPS poll takes when nothing changed, and how long a new release takes to
reach refreshed marts, on the bundled sample against a local HTTP server in the BPS shape.

    .venv/bin/python benchmarks/bps_poll.py [--repeat 5]

Prints a table. Floors measured in the same run: the bare HTTP fetch of the same four answers
(no parsing, no comparison) for the poll, and a rebuild+publish with nothing new for the refresh.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import requests
from pytest_httpserver import HTTPServer

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ingestion.bps.client import BpsClient  # noqa: E402
from ingestion.bps.config import load_config  # noqa: E402
from kinerja import bps, pipeline  # noqa: E402
from kinerja.config import SAMPLE_INBOX, Settings  # noqa: E402
from tests.bps_server import KEY, serve_release  # noqa: E402


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the local server's access log
    work = Path(tempfile.mkdtemp(prefix="kinerja-bench-bps-"))
    server = HTTPServer()
    server.start()
    try:
        settings = Settings.from_env(home=work / "home", inbox=work / "inbox")
        shutil.copytree(SAMPLE_INBOX, settings.inbox)
        print("setting up: first run on the bundled sample ...", file=sys.stderr)
        pipeline.run(settings)
        config = load_config()
        config = dataclasses.replace(config, api=dataclasses.replace(config.api, base_url=server.url_for("/v1/api")))
        serve_release(server, "awal")
        years = [2023, 2024]

        def bare_fetch():
            client = BpsClient(KEY, config)
            with requests.Session() as session:
                for domain in config.domains:
                    for var_id in domain.variabel.values():
                        session.get(client._url(domain.kode, var_id, years, KEY), timeout=30).json()

        def quiet_poll():
            result = bps.poll(settings, KEY, years=years, config=config, client=BpsClient(KEY, config))
            assert not result.new_release
            return result

        floor_poll, _ = timed(bare_fetch, args.repeat)
        poll_time, quiet = timed(quiet_poll, args.repeat)
        floor_rebuild, _ = timed(lambda: pipeline.build_and_publish(settings), 1)

        serve_release(server, "akhir")
        started = time.perf_counter()
        result = bps.poll(settings, KEY, years=years, config=config, client=BpsClient(KEY, config))
        landed = time.perf_counter() - started
        pipeline.build_and_publish(settings)
        refreshed = time.perf_counter() - started
        assert result.new_release

        rows = [
            (
                f"poll, nothing new (median of {args.repeat})",
                poll_time,
                f"{quiet.requests} requests, {quiet.rows} figures compared, nothing landed",
            ),
            ("  floor: bare HTTP fetch of the same answers", floor_poll, "no parsing, no comparison"),
            (
                "poll finds a release: landed (incl. GX validation)",
                landed,
                f"{result.changed} new/revised figures, batch {result.batch.batch_id}",
            ),
            ("poll finds a release: refreshed marts published", refreshed, "poll + land + raw load + dbt build + publish"),
            ("  floor: rebuild + publish with nothing new", floor_rebuild, "raw load + dbt build + publish"),
        ]
        print(
            f"\nBPS poll benchmark — {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}"
        )
        print(f"{'step':<52} {'seconds':>8}  note")
        print("-" * 110)
        for name, seconds, note in rows:
            print(f"{name:<52} {seconds:>8.3f}  {note}")
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
