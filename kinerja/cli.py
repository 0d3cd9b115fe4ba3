"""Command line: ``kinerja run`` is the main job (what ``make run`` calls)."""

from __future__ import annotations

import argparse
import sys

from kinerja.config import Settings
from kinerja.errors import PipelineError
from kinerja.progress import stderr_reporter


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(home=args.home, inbox=args.inbox)


def cmd_run(args: argparse.Namespace) -> int:
    from kinerja import pipeline

    settings = _settings(args)
    try:
        result = pipeline.run(settings, stderr_reporter())
    except PipelineError as exc:
        print(f"kinerja run FAILED: {exc}", file=sys.stderr)
        return 1
    print(result.summary)
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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kinerja",
        description="Kinerja: SAKIP performance-accountability warehouse (LKIP) on DuckDB + dbt.",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--inbox", help="folder with source files, one subfolder per source (emonev/); default $KINERJA_INBOX or the bundled sample_inbox/"
    )
    common.add_argument(
        "--home", help="folder for landing/, quarantine/, warehouse/ and state/; default $KINERJA_HOME or the project folder"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser(
        "run", parents=[common], help="ingest the inbox, validate, build with dbt, publish warehouse/kinerja.duckdb and print a summary"
    )
    run.set_defaults(func=cmd_run)
    summ = sub.add_parser("summary", parents=[common], help="print the summary of the published warehouse")
    summ.set_defaults(func=cmd_summary)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
