"""Command line: ``kinerja run`` is the main job (what ``make run`` calls)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from kinerja.config import Settings
from kinerja.errors import PipelineError
from kinerja.progress import stderr_reporter


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(home=args.home, inbox=args.inbox)


def cmd_run(args: argparse.Namespace) -> int:
    from kinerja import pipeline

    settings = _settings(args)
    try:
        result = pipeline.run(settings, stderr_reporter(), full_refresh=args.full_refresh)
    except PipelineError as exc:
        print(f"kinerja run FAILED: {exc}", file=sys.stderr)
        return 1
    print(result.summary)
    for entry in result.ignored:  # every inbox entry is accounted for (a source's own are in the summary)
        if f"IGNORED file       : {entry['sumber']}: {entry['berkas']}" not in result.summary:
            print(f"  IGNORED entry      : {entry['sumber']}: {entry['alasan']}")
    print(f"  Finished in {result.seconds:.1f} s ({len(result.landed)} new batch(es), {result.unchanged} unchanged file(s)).")
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    from kinerja import summary

    settings = _settings(args)
    if not settings.serving_db.exists():
        print(f"no warehouse at {settings.serving_db}; run 'kinerja run' first", file=sys.stderr)
        return 1
    print(summary.summarize(settings))
    return 0


def cmd_rebuild(args: argparse.Namespace) -> int:
    from kinerja import pipeline

    settings = _settings(args)
    try:
        path = pipeline.rebuild_as_of(settings, args.as_of, Path(args.output) if args.output else None, stderr_reporter())
    except PipelineError as exc:
        print(f"kinerja rebuild FAILED: {exc}", file=sys.stderr)
        return 1
    print(path)
    return 0


def cmd_batch_list(args: argparse.Namespace) -> int:
    from kinerja import batches

    rows = batches.listing(_settings(args))
    print(batches.format_listing(rows) if rows else "no landed batches")
    return 0


def cmd_batch_retract(args: argparse.Namespace) -> int:
    from kinerja import batches

    settings = _settings(args)
    try:
        batch, event = batches.retract(settings, args.batch, args.reason)
    except PipelineError as exc:
        print(f"kinerja batch retract FAILED: {exc}", file=sys.stderr)
        return 1
    print(
        f"batch {batch.batch_id} ({batch.source}/{batch.entity}, {batch.original_name}) retracted at {event.pada}: {event.alasan}\n"
        f"  the landed original stays in {settings.landing_dir / batch.directory}; the next run (kinerja run) builds and "
        "publishes the warehouse without it"
    )
    return 0


def cmd_batch_restore(args: argparse.Namespace) -> int:
    from kinerja import batches

    settings = _settings(args)
    try:
        batch, event = batches.restore(settings, args.batch, args.reason or "")
    except PipelineError as exc:
        print(f"kinerja batch restore FAILED: {exc}", file=sys.stderr)
        return 1
    print(f"batch {batch.batch_id} ({batch.original_name}) restored at {event.pada}; the next run (kinerja run) publishes it again")
    return 0


def _bps_key() -> str | None:
    key = os.environ.get("KINERJA_BPS_KEY")
    if not key:
        print("kinerja bps: set KINERJA_BPS_KEY to your BPS WebAPI key (https://webapi.bps.go.id/developer/)", file=sys.stderr)
    return key


def _years(text: str | None) -> list[int] | None:
    if not text:
        return None
    first, _, last = text.partition("-")
    return list(range(int(first), int(last or first) + 1))


def cmd_bps_poll(args: argparse.Namespace) -> int:
    from kinerja import pipeline

    key = _bps_key()
    if not key:
        return 2
    settings = _settings(args)
    try:
        result = pipeline.poll_bps(settings, key, _years(args.years), publish=not args.no_publish, progress=stderr_reporter())
    except PipelineError as exc:
        print(f"kinerja bps poll FAILED: {exc}", file=sys.stderr)
        return 1
    if result.new_release:
        print(
            f"new BPS release: {result.changed} new or revised figure(s) landed as {result.batch.batch_id}"
            + ("" if args.no_publish else "; warehouse rebuilt and published")
        )
    else:
        print(f"no new BPS release ({result.requests} request(s), {result.rows} figure(s) unchanged)")
    return 0


def cmd_bps_variabel(args: argparse.Namespace) -> int:
    from ingestion.bps.client import BpsClient
    from ingestion.bps.config import load_config
    from ingestion.bps.errors import BpsError

    key = _bps_key()
    if not key:
        return 2
    try:
        found = BpsClient(key, load_config()).variables(args.domain, args.cari)
    except BpsError as exc:
        print(f"kinerja bps variabel FAILED: {exc}", file=sys.stderr)
        return 1
    for item in found:
        print(f"{item.get('var_id', item.get('val', '?'))}\t{item.get('title', item.get('label', ''))}")
    return 0


def cmd_bps_setup(args: argparse.Namespace) -> int:
    from ingestion.bps.errors import BpsError
    from kinerja import bps

    key = _bps_key()
    if not key:
        return 2
    target = args.output or os.environ.get("KINERJA_BPS_CONFIG")
    if not target:
        print("kinerja bps setup: name the configuration to write: --output /etc/kinerja/bps.toml or KINERJA_BPS_CONFIG", file=sys.stderr)
        return 2
    try:
        result = bps.setup(key, Path(target), progress=stderr_reporter())
    except BpsError as exc:
        print(f"kinerja bps setup FAILED: {exc}", file=sys.stderr)
        return 1
    for (domain, harga), (var_id, title) in sorted(result.found.items()):
        print(f"{domain} {harga}: variable {var_id} {title!r}")
    if result.problems:
        print("kinerja bps setup: nothing written, because:\n  - " + "\n  - ".join(result.problems), file=sys.stderr)
        return 1
    print(f"written to {result.written}; set KINERJA_BPS_CONFIG={result.written} for every run and the DAGs")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kinerja",
        description="Kinerja: SAKIP performance-accountability warehouse (LKIP) on DuckDB + dbt.",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--inbox",
        help="folder with source files, one subfolder per source (emonev/, bps/); default $KINERJA_INBOX or the bundled sample_inbox/",
    )
    common.add_argument(
        "--home", help="folder for landing/, quarantine/, warehouse/ and state/; default $KINERJA_HOME or the project folder"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser(
        "run", parents=[common], help="ingest the inbox, validate, build with dbt, publish warehouse/kinerja.duckdb and print a summary"
    )
    run.add_argument(
        "--full-refresh",
        action="store_true",
        help="recompute the incremental models (Jakpreneur omzet) from every landed batch instead of adding the new ones",
    )
    run.set_defaults(func=cmd_run)
    summ = sub.add_parser("summary", parents=[common], help="print the summary of the published warehouse")
    summ.set_defaults(func=cmd_summary)
    rebuild = sub.add_parser(
        "rebuild", parents=[common], help="build the figures as published at a past date (only batches landed by then) into a separate file"
    )
    rebuild.add_argument("--as-of", required=True, help="date (2025-01-31, end of that day UTC) or UTC time (2025-01-31T08:00:00)")
    rebuild.add_argument("--output", help="file to write; default warehouse/as_of/kinerja-as-of-<time>.duckdb")
    rebuild.set_defaults(func=cmd_rebuild)
    batch = sub.add_parser("batch", help="landed batches: list them, retract one that should not have landed, restore it")
    batch_sub = batch.add_subparsers(dest="batch_command", required=True)
    blist = batch_sub.add_parser(
        "list", parents=[common], help="every landed batch: id, source, file, landed_at, rows, in the serving warehouse, retracted"
    )
    blist.set_defaults(func=cmd_batch_list)
    retract = batch_sub.add_parser(
        "retract", parents=[common], help="leave a landed batch out of every later build (the original is kept; recorded and published)"
    )
    retract.add_argument("batch", help="the batch id, as 'kinerja batch list' shows it")
    retract.add_argument("--reason", required=True, help="why it is retracted; recorded and shown in the change log")
    retract.set_defaults(func=cmd_batch_retract)
    restore = batch_sub.add_parser("restore", parents=[common], help="undo a retraction: later builds use the batch again (recorded)")
    restore.add_argument("batch", help="the batch id")
    restore.add_argument("--reason", help="why it is restored")
    restore.set_defaults(func=cmd_batch_restore)
    bps = sub.add_parser("bps", help="BPS WebAPI: poll for a new PDRB release, list variables")
    bps_sub = bps.add_subparsers(dest="bps_command", required=True)
    poll = bps_sub.add_parser(
        "poll", parents=[common], help="ask BPS for the configured variables; land and publish only if a figure is new or revised"
    )
    poll.add_argument(
        "--years", help="years to ask for, e.g. 2019-2024 (backfill, in calls of 2 years); default the two a release can touch"
    )
    poll.add_argument("--no-publish", action="store_true", help="only land the release; do not build and publish")
    poll.set_defaults(func=cmd_bps_poll)
    setup = bps_sub.add_parser(
        "setup", help="find the variable ids of the configured PDRB series by their titles and write them into your configuration copy"
    )
    setup.add_argument("--output", help="configuration file to write (default $KINERJA_BPS_CONFIG); created from the shipped one")
    setup.set_defaults(func=cmd_bps_setup)
    var = bps_sub.add_parser("variabel", help="list a domain's BPS variables, to find the ids for ingestion/bps/bps.toml")
    var.add_argument("--domain", required=True, help="BPS domain code, e.g. 3100 (DKI Jakarta) or 0000 (Indonesia)")
    var.add_argument("--cari", help="keyword, e.g. PDRB")
    var.set_defaults(func=cmd_bps_variabel)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
