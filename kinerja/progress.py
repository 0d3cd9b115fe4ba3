"""Progress lines for long work: one line per step, flushed, with elapsed seconds."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

Reporter = Callable[[str], None]


def stderr_reporter() -> Reporter:
    start = time.monotonic()

    def report(message: str) -> None:
        print(f"[{time.monotonic() - start:6.1f}s] {message}", file=sys.stderr, flush=True)

    return report


def silent(_: str) -> None:
    return None
