"""What planners receive after each publish, in Indonesian, in ``warehouse/publikasi/``:

- ``tabel-lkip-<tahun>.xlsx``: the chapter-3 tables of the LKIP (3.2, 3.3, 3.5-3.14, 3.19) in the
  report's layout, plus the change log of the publish, the differences with the published LKIP
  and the status of each source (:mod:`.workbook`);
- ``laporan-lkip-<tahun>.html``: one self-contained page with the same tables, the charts, "Apa
  yang berubah", the narrative draft, "Hasil validasi" and a warning when a source is stale
  (:mod:`.page`);
- ``narasi-lkip-<tahun>.md``: the narrative draft from editable templates (:mod:`.narrative`);
- ``publikasi.json``: which publish the set was written from, and which sources were stale.

The set is read from the public marts of the serving warehouse only (:mod:`.basisdata`, plain SQL),
built aside and swapped in whole (a reader sees the old set or the new one). After a publish that
moved something, or when a source went stale, :func:`notify_publication` sends the notice with the
workbook attached; nothing is sent when nothing changed.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kinerja import files, notify
from kinerja.config import Settings
from kinerja.progress import Reporter, silent
from kinerja.publikasi import data, delivery, figures, narrative, page, tables, validation, workbook
from kinerja.publikasi import format as fmt
from kinerja.publikasi.basisdata import open_serving

FOLDER = "publikasi"
MANIFEST = "publikasi.json"


@dataclass
class PublicationSet:
    """One publication set as written, and what its notice reports."""

    folder: Path
    tahun: int
    run_id: str | None  # the publish it was written from
    published_at: Any
    workbook: Path
    page: Path
    narrative: Path
    changes: list[dict] = field(default_factory=list)  # marts.log_perubahan rows of that publish
    stale: list[dict] = field(default_factory=list)  # marts.status_sumber rows of the stale sources
    new_publish: bool = True  # the set it replaced was written from another publish (or there was none)
    newly_stale: list[str] = field(default_factory=list)  # sources stale now that were not in the set it replaced

    @property
    def should_notify(self) -> bool:
        return bool((self.new_publish and self.changes) or self.newly_stale)


def _previous(folder: Path) -> dict | None:
    try:
        return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def write_publications(settings: Settings, run_id: str | None = None) -> PublicationSet:
    """Write the publication set of the serving warehouse into ``warehouse/publikasi/`` (built
    aside, swapped in). ``run_id``: the publish whose changes it reports (default: the latest)."""
    target = settings.warehouse_dir / FOLDER
    previous = _previous(target)
    templates = narrative.load_templates()  # a broken template stops here, before anything is written
    with open_serving(settings) as db:
        report = data.read(db, run_id)
    try:
        results, results_error = validation.latest_results(settings), None
    except Exception as exc:  # the page says so; the tables do not depend on it
        results, results_error = None, f"{type(exc).__name__}: {exc}"
    y = report.tahun
    names = {"workbook": f"tabel-lkip-{y}.xlsx", "page": f"laporan-lkip-{y}.html", "narrative": f"narasi-lkip-{y}.md"}
    final = {k: target / v for k, v in names.items()}
    published = fmt.waktu(report.publish.dipublikasikan_pada)
    all_tables = tables.all_tables(report)
    sections = narrative.write_sections(report, templates)

    staging = files.fresh_dir(target)
    workbook.write(
        staging / names["workbook"],
        all_tables,
        y,
        published,
        f"Laporan lengkap dengan grafik dan draf narasi: {final['page'].name} (folder yang sama).",
    )
    (staging / names["narrative"]).write_text(narrative.markdown(report, sections, published), encoding="utf-8")
    html = page.render(
        report,
        all_tables,
        figures.all_figures(report),
        sections,
        results,
        results_error,
        {"workbook": final["workbook"].name, "narrative": final["narrative"].name, "warehouse": str(settings.serving_db)},
    )
    (staging / names["page"]).write_text(html, encoding="utf-8")
    stale = [s["sumber"] for s in report.sumber_usang]
    publication = PublicationSet(
        folder=target,
        tahun=y,
        run_id=report.publish.run_id,
        published_at=report.publish.dipublikasikan_pada,
        workbook=final["workbook"],
        page=final["page"],
        narrative=final["narrative"],
        changes=report.perubahan,
        stale=report.sumber_usang,
        new_publish=previous is None or previous.get("run_id") != report.publish.run_id,
        newly_stale=[s for s in stale if s not in set((previous or {}).get("sumber_usang") or [])],
    )
    manifest = {
        "tahun": y,
        "run_id": report.publish.run_id,
        "dipublikasikan_pada": str(report.publish.dipublikasikan_pada),
        "ditulis_pada": datetime.now(UTC).isoformat(),
        "berkas": names,
        "perubahan": len(report.perubahan),
        "sumber_usang": stale,
        # the notice of this publish, composed now and sent by whoever delivers it (the CLI at once,
        # the Airflow DAG kinerja_publikasi on the marts Asset): None when nothing moved and no source
        # went stale. The set rewritten for the same publish keeps the notice it had (delivery.py
        # records who has had it, so it is still sent once).
        "pemberitahuan": _notice(publication) if publication.should_notify else _kept_notice(previous, publication.run_id),
    }
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    files.swap_dir(staging, target)
    return publication


def _notice(publication: PublicationSet) -> dict:
    from kinerja.publikasi import notice

    subject, body = notice.compose(publication)
    return {"judul": subject, "isi": body, "lampiran": [publication.workbook.name]}


def _kept_notice(previous: dict | None, run_id: str | None) -> dict | None:
    if previous and previous.get("run_id") == run_id:
        return previous.get("pemberitahuan")
    return None


def notify_publication(settings: Settings, publication_set: PublicationSet, urls: list[str] | None = None) -> notify.NoticeResult | None:
    """Tell the planners what changed (``KINERJA_NOTIFY_URLS`` or ``urls``), the workbook
    attached. ``None`` when there is nothing to tell: the publish moved nothing and no source
    went stale. Never raises: a failing channel is retried, then reported in the result."""
    if not publication_set.should_notify:
        return None
    from kinerja.publikasi import notice

    subject, body = notice.compose(publication_set)
    return notify.send(subject, body, urls=urls, attachments=[publication_set.workbook])


def publish_and_notify(settings: Settings, progress: Reporter = silent, urls: list[str] | None = None, send: bool = True) -> PublicationSet:
    """The pipeline's step after a publish: write the set and, with ``send`` (the CLI), send its
    notice at once. Under Airflow ``send`` is False: the DAG ``kinerja_publikasi``, a consumer of
    the marts Asset, sends it (:func:`send_notice`)."""
    started = time.monotonic()
    publication = write_publications(settings)
    progress(
        f"publikasi: {publication.workbook.name}, {publication.page.name}, {publication.narrative.name} written to "
        f"{publication.folder} ({time.monotonic() - started:.1f} s)"
    )
    if not send:
        if publication.should_notify:
            progress("publikasi: the notice of this publish is left to the consumer of the marts Asset (DAG kinerja_publikasi)")
        return publication
    report_delivery(send_notice(settings, urls), progress)
    return publication


def send_notice(settings: Settings, urls: list[str] | None = None) -> delivery.Delivery:
    """Send the notice of the publication set in ``warehouse/publikasi/`` to every channel that
    has not had it (once per publish and channel; :mod:`.delivery`). Never raises for a channel."""
    return delivery.send_pending(settings, settings.warehouse_dir / FOLDER, urls)


def report_delivery(result: delivery.Delivery, progress: Reporter) -> None:
    if not result.pending or (result.ok and result.already and not result.sent):
        told = f" (its notice went to {', '.join(result.already)} earlier)" if result.pending else ""
        progress(f"publikasi: nothing moved in this publish and no source went stale; no notice sent{told}")
    elif not result.channels:
        progress(f"publikasi: {result.describe()}")
    elif result.ok:
        progress(f"publikasi: {result.describe()}")
    else:
        progress(f"publikasi: NOTICE FAILED: {result.describe()}; the publish stands")


__all__ = ["PublicationSet", "notify_publication", "publish_and_notify", "send_notice", "write_publications"]
