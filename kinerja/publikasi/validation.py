"""The validation results of the page's "Hasil validasi": what every Great Expectations check of
the files and of the marts found, read from the results store (``state/validations/``), with a
warning shown as a warning ("Peringatan") and not as a failure. The latest result of each file
and of each mart is shown; the rejected files (parse or validation) come from
``marts.status_sumber``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from kinerja.config import Settings

LOLOS, PERINGATAN, GAGAL = "Lolos", "Lolos dengan peringatan", "Gagal"


@dataclass
class Check:
    message: str
    column: str | None
    found: Any
    severity: str  # critical | warning


@dataclass
class Result:
    suite: str
    subject: str  # the file or the mart checked
    moment: datetime | None
    expectations: int
    status: str
    failures: list[Check] = field(default_factory=list)
    warnings: list[Check] = field(default_factory=list)

    @property
    def is_audit(self) -> bool:
        return self.suite.startswith("marts__")


def _found(details: dict) -> Any:
    if not details:
        return None
    for key in ("unexpected_count", "observed_value"):
        if details.get(key) is not None:
            value = details[key]
            return value if not isinstance(value, list | dict) else str(value)[:200]
    return None


def _result(key, result) -> Result:
    failures, warnings = [], []
    for res in result.results:
        if res.success:
            continue
        config = res.expectation_config
        meta = config.meta or {}
        severity = getattr(config.severity, "value", str(config.severity or "critical"))
        check = Check(
            meta.get("pesan") or config.type, meta.get("kolom") or config.kwargs.get("column"), _found(res.result or {}), severity
        )
        (failures if severity == "critical" else warnings).append(check)
    status = GAGAL if failures else (PERINGATAN if warnings else LOLOS)
    moment = key.run_id.run_time
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    subject = result.meta.get("berkas") or key.batch_identifier
    if isinstance(subject, str) and subject.startswith("audit "):
        subject = subject.split(" ", 2)[-1]  # "audit <run> marts.x" -> "marts.x"
    return Result(result.suite_name, str(subject), moment, len(result.results), status, failures, warnings)


def latest_results(settings: Settings) -> list[Result]:
    """The latest result of every (suite, file) and of every mart's audit, newest first."""
    from kinerja import quality

    store = quality.results_store(settings)
    latest: dict[tuple[str, str], tuple] = {}
    for key in store.list_keys():
        suite = key.expectation_suite_identifier.name
        name = suite if suite.startswith("marts__") else key.batch_identifier
        moment = key.run_id.run_time or datetime.min.replace(tzinfo=UTC)
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        if (suite, name) not in latest or moment > latest[(suite, name)][0]:
            latest[(suite, name)] = (moment, key)
    results = [_result(key, store.get(key)) for _, key in latest.values()]
    return sorted(results, key=lambda r: (not r.is_audit, -(r.moment.timestamp() if r.moment else 0), r.suite, r.subject))
