"""The report page: one self-contained HTML file (styles inline, charts as inline SVG, no script,
no link outside itself) that opens from disk with no network and prints on A4.

It holds, in Indonesian: a warning when a source is stale, the key figures, "Apa yang berubah",
the narrative draft, every chapter-3 table with its charts, the differences with the published
LKIP, "Hasil validasi" (what the checks of every file and mart found, warnings as warnings, the
rejected files) and the status of each source.
"""

from __future__ import annotations

from html import escape

from kinerja.publikasi import format as fmt
from kinerja.publikasi.data import Report
from kinerja.publikasi.figures import Figure
from kinerja.publikasi.model import COUNT, MISSING, NUMBER, PERCENT, RUPIAH, Cell, Table
from kinerja.publikasi.narrative import Section
from kinerja.publikasi.validation import GAGAL, LOLOS, PERINGATAN, Result

CSS = """
body{font-family:Arial,Helvetica,sans-serif;font-size:14px;color:#1b1b1b;margin:0;background:#f6f7f9}
main{max-width:1320px;margin:0 auto;padding:24px 32px;background:#fff}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:34px 0 10px;border-bottom:2px solid #1f5fa8;padding-bottom:4px}
h3{font-size:16px;margin:22px 0 8px}h4{font-size:14px;margin:16px 0 6px}
.meta{color:#555;font-size:13px}
.peringatan{border:2px solid #b3261e;background:#fdecea;padding:12px 16px;margin:16px 0;border-radius:4px}
.peringatan strong{color:#b3261e}
.kartu{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0}
.kartu div{border:1px solid #d0d7e2;border-radius:6px;padding:10px 14px;min-width:190px;flex:1;background:#f8fafd}
.kartu b{display:block;font-size:22px;color:#1f5fa8;margin:4px 0}
.kartu span{font-size:12px;color:#444}
table{border-collapse:collapse;width:100%;margin:8px 0 4px;font-size:12px}
th,td{border:1px solid #9aa6b5;padding:3px 5px;vertical-align:top}
th{background:#dce6f1;text-align:center;vertical-align:middle}
td.n{text-align:right;white-space:nowrap}td.c{text-align:center}
tr.kelompok td{background:#f0f0f0;font-weight:bold}tr.ringkasan td{background:#fff2cc;font-weight:bold}
tr.nomor td{background:#dce6f1;font-style:italic;text-align:center;font-size:11px}
tr.sub td{color:#333;font-style:italic}
sup{color:#b3261e;font-size:10px;margin-left:1px}
ol.catatan{font-size:12px;color:#333;margin:4px 0 2px 18px;padding-left:12px}
p.sumber{font-size:11px;color:#666;margin:2px 0 18px}
figure{margin:18px 0 26px;padding:8px 0}figcaption{font-size:12px;color:#444;margin-top:4px}
nav ol{columns:2;font-size:13px}
.narasi p{line-height:1.5;max-width:1000px}
.lolos{color:#1e7a34;font-weight:bold}.peringatan-teks{color:#9a5b00;font-weight:bold}.gagal{color:#b3261e;font-weight:bold}
details{margin:4px 0}summary{cursor:pointer}
caption{caption-side:top;text-align:left;font-weight:bold;padding:4px 0}
@media print{body{background:#fff}main{max-width:none;padding:0}table{font-size:8px}td.n{white-space:nowrap}th,td{padding:2px 3px}h2,h3,h4{break-after:avoid}figure,.kartu div{break-inside:avoid}tr{break-inside:avoid}}
@page{size:A4 landscape;margin:12mm}
"""


def _value(cell: Cell) -> str:
    if cell.kind == PERCENT:
        return fmt.persen(cell.value)
    if cell.kind == RUPIAH:
        return fmt.rupiah(cell.value)
    if cell.kind == COUNT:
        return fmt.bilangan(cell.value)
    if cell.kind == NUMBER:
        return fmt.angka(cell.value)
    return escape(str(cell.value if cell.value is not None else "")).replace("\n", "<br>")


def _cell(tag: str, cell: Cell, anchor: str) -> str:
    attrs = ""
    if cell.span_rows > 1:
        attrs += f' rowspan="{cell.span_rows}"'
    if cell.span_cols > 1:
        attrs += f' colspan="{cell.span_cols}"'
    classes = []
    if tag == "td":
        if cell.kind not in ("teks", MISSING):
            classes.append("n")
        elif cell.center or cell.kind == MISSING:
            classes.append("c")
    if classes:
        attrs += f' class="{" ".join(classes)}"'
    body = _value(cell)
    if cell.bold and tag == "td":
        body = f"<b>{body}</b>"
    notes = "".join(f'<sup><a href="#{anchor}-c{n}">{n}</a></sup>' for n in cell.notes)
    return f"<{tag}{attrs}>{body}{notes}</{tag}>"


def table_html(t: Table, caption: bool = True) -> str:
    anchor = "t-" + t.nomor.lower().replace(".", "-").replace(" ", "-")
    out = [f'<table id="{anchor}">']
    if caption:
        out.append(f"<caption>{escape(t.caption)}</caption>")
    out.append("<thead>")
    for line in t.header:
        out.append("<tr>" + "".join(_cell("th", c, anchor) for c in line if c is not None) + "</tr>")
    out.append("</thead><tbody>")
    for row in t.rows:
        cls = f' class="{row.kind}"' if row.kind != "data" else ""
        out.append(f"<tr{cls}>" + "".join(_cell("td", c, anchor) for c in row.cells if c is not None) + "</tr>")
    out.append("</tbody></table>")
    if t.notes:
        out.append(
            '<ol class="catatan">' + "".join(f'<li id="{anchor}-c{n}">{escape(note)}</li>' for n, note in enumerate(t.notes, 1)) + "</ol>"
        )
    if t.source:
        out.append(f'<p class="sumber">Sumber: gudang data Kinerja, {escape(t.source)}</p>')
    return "\n".join(out)


def _figure(f: Figure) -> str:
    note = f" {escape(f.note)}" if f.note else ""
    return f'<figure id="{f.key}">{f.svg}<figcaption>{escape(f.caption)}.{note}</figcaption></figure>'


def _stale_warning(report: Report) -> str:
    stale = report.sumber_usang
    if not stale:
        return ""
    items = []
    for s in stale:
        when = fmt.waktu(s.get("diterima_terakhir_pada"))
        items.append(
            f"<li><strong>{escape(fmt.sumber(s['sumber']))}</strong>: berkas {escape(s.get('berkas_ditolak') or '-')} ditolak; "
            f"angka sumber ini memakai data terakhir yang valid (diterima {escape(when)}). Alasan (pesan teknis, bahasa Inggris): <span lang='en'>{escape((s.get('alasan') or '-')[:600])}</span></li>"
        )
    return (
        '<div class="peringatan" role="alert"><strong>Peringatan: ada sumber data yang USANG.</strong> '
        "Tabel dan grafik di bawah memakai data terakhir yang lolos pemeriksaan untuk sumber berikut, sampai berkas yang benar diterima:"
        f"<ul>{''.join(items)}</ul></div>"
    )


def _cards(report: Report) -> str:
    y = report.tahun
    cards = []
    for key, label in (
        ("PERKIN", f"Rata-rata capaian Perjanjian Kinerja {y}"),
        ("PROGRAM", "Rata-rata capaian indikator program"),
        ("KSD", "Rata-rata capaian Rencana Aksi KSD"),
        ("OUTLOOK_PERKIN", "Outlook terhadap Perjanjian Kinerja"),
        ("OUTLOOK_RENSTRA", "Outlook terhadap Renstra tahun berjalan"),
        ("OUTLOOK_AKHIR_PERIODE", "Outlook terhadap akhir periode Renstra"),
        ("EFISIENSI", "Rata-rata efisiensi (metode LKIP)"),
    ):
        avg = report.rata_rata(key, y)
        if avg is None:
            continue
        extra = f"{avg['jumlah_dihitung']} dari {avg['jumlah_indikator']} dihitung"
        if avg.get("kriteria"):
            extra = f"{avg['kriteria']}; {extra}"
        cards.append(f"<div>{escape(label)}<b>{fmt.persen(avg['rata_rata_capaian_persen'])}</b><span>{escape(extra)}</span></div>")
    total = report.serapan_dimensi("TOTAL").get("TOTAL", {}).get(y)
    if total:
        cards.append(
            f"<div>Serapan anggaran {y}<b>{fmt.persen(total['serapan_persen'])}</b>"
            f"<span>realisasi {fmt.rupiah(total['realisasi'])} dari pagu APBD-P {fmt.rupiah(total['pagu_apbdp'])}</span></div>"
        )
    waiting = report.belum_rilis
    if waiting:
        codes = ", ".join(r["indikator_kode"] for r in waiting)
        sources = ", ".join(sorted({fmt.sumber(r["sumber_data"]) for r in waiting}))
        cards.append(
            f"<div>Menunggu rilis data<b>{len(waiting)} indikator</b><span>{escape(codes)}: data belum dirilis oleh {escape(sources)}</span></div>"
        )
    return '<div class="kartu">' + "".join(cards) + "</div>"


def _changes(report: Report, table: Table) -> str:
    when = fmt.waktu(report.publish.dipublikasikan_pada)
    if report.perubahan:
        figures = sum(1 for r in report.perubahan if r["objek"] != "batch")
        batches = [r for r in report.perubahan if r["objek"] == "batch"]  # a retraction or restore is not a figure
        parts = [f"mengubah <b>{figures}</b> angka (indikator, periode, nilai lama dan baru, status)"] if figures else []
        parts += [f"batch data {escape(fmt.JENIS_PERUBAHAN.get(k, k))}: <b>{n}</b>" for k in ("DITARIK", "DIPULIHKAN") if (n := sum(r["jenis_perubahan"] == k for r in batches))]
        intro = f"<p>Publikasi {escape(when)} " + "; ".join(parts) + ":</p>"
    elif report.perubahan_terakhir is not None:
        intro = (
            f"<p>Publikasi {escape(when)} tidak mengubah angka apa pun. Perubahan terakhir terjadi pada publikasi "
            f"{escape(fmt.waktu(report.perubahan_terakhir.dipublikasikan_pada))}:</p>"
        )
    else:
        return f"<p>Publikasi {escape(when)} tidak mengubah angka apa pun (belum ada publikasi sebelumnya untuk dibandingkan, atau tidak ada yang berubah).</p>"
    return intro + table_html(table, caption=False)


def _validation(results: list[Result] | None, error: str | None, report: Report) -> str:
    out = []
    rejected = [s for s in report.status_sumber if s.get("berkas_ditolak")]
    out.append("<h3>Berkas yang ditolak</h3>")
    if rejected:
        out.append(
            "<table><thead><tr><th>Sumber</th><th>Berkas</th><th>Alasan: baris dan apa yang diharapkan (pesan teknis, bahasa Inggris)</th><th>Karantina</th></tr></thead><tbody>"
        )
        for s in rejected:
            out.append(
                f"<tr><td>{escape(fmt.sumber(s['sumber']))}</td><td>{escape(s['berkas_ditolak'])}</td>"
                f"<td lang='en'>{escape(s.get('alasan') or '-')}</td><td>{escape(s.get('karantina') or '-')}</td></tr>"
            )
        out.append("</tbody></table>")
    else:
        out.append("<p>Tidak ada berkas yang ditolak pada pemeriksaan terakhir.</p>")
    ignored = [s for s in report.status_sumber if s.get("berkas_diabaikan")]
    if ignored:
        out.append("<p>Berkas yang tidak dibaca:</p><ul>")
        out += [f"<li>{escape(fmt.sumber(s['sumber']))}: {escape(s['berkas_diabaikan'])}</li>" for s in ignored]
        out.append("</ul>")
    out.append("<h3>Pemeriksaan Great Expectations</h3>")
    if error:
        out.append(f"<p>Hasil validasi tidak dapat dibaca: {escape(error)}</p>")
        return "\n".join(out)
    results = results or []
    counts = {s: sum(1 for r in results if r.status == s) for s in (LOLOS, PERINGATAN, GAGAL)}
    out.append(
        f"<p>Hasil terakhir dari setiap berkas dan setiap mart: <span class='lolos'>{counts[LOLOS]} lolos</span>, "
        f"<span class='peringatan-teks'>{counts[PERINGATAN]} lolos dengan peringatan</span>, "
        f"<span class='gagal'>{counts[GAGAL]} gagal</span>. Peringatan tidak menahan data; kegagalan menolak berkas atau "
        "menahan publikasi.</p>"
    )
    out.append(
        "<table><thead><tr><th>Waktu</th><th>Pemeriksaan</th><th>Berkas / mart</th><th>Jumlah aturan</th><th>Hasil</th>"
        "<th>Temuan (pesan aturan, bahasa Inggris)</th></tr></thead><tbody>"
    )
    css = {LOLOS: "lolos", PERINGATAN: "peringatan-teks", GAGAL: "gagal"}
    for r in results:
        findings = []
        for label, checks in (("Gagal", r.failures), ("Peringatan", r.warnings)):
            for c in checks:
                where = f" (kolom {c.column})" if c.column else ""
                found = f"; ditemukan {c.found}" if c.found not in (None, "") else ""
                findings.append(f"<li><b>{label}</b>: <span lang='en'>{escape(str(c.message))}</span>{escape(where)}{escape(found)}</li>")
        cell = f"<ul style='margin:0;padding-left:16px'>{''.join(findings)}</ul>" if findings else "-"
        out.append(
            f"<tr><td>{escape(fmt.waktu(r.moment))}</td><td>{escape(r.suite)}</td><td>{escape(r.subject)}</td>"
            f"<td class='n'>{r.expectations}</td><td class='{css[r.status]}'>{r.status}</td><td>{cell}</td></tr>"
        )
    out.append("</tbody></table>")
    return "\n".join(out)


def render(
    report: Report,
    tables: list[Table],
    figures: list[Figure],
    sections: list[Section],
    validations: list[Result] | None,
    validation_error: str | None,
    files: dict[str, str],
) -> str:
    y = report.tahun
    by_number = {t.nomor: t for t in tables}
    lkip = [t for t in tables if t.nomor[:1].isdigit()]
    title = f"Laporan Kinerja (LKIP) Tahun {y} - Dinas PPKUKM Provinsi DKI Jakarta"
    toc = [
        ("ringkasan", "Ringkasan"),
        ("apa-yang-berubah", "Apa yang berubah"),
        ("narasi", "Draf narasi"),
    ]
    toc += [("tabel-" + t.nomor.replace(".", "-"), t.caption) for t in lkip]
    toc += [("selisih", "Selisih dengan LKIP terbitan"), ("hasil-validasi", "Hasil validasi"), ("status-sumber", "Status sumber data")]
    out = [
        "<!DOCTYPE html>",
        '<html lang="id"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body><main>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="meta">Bab III Akuntabilitas Kinerja: tabel, grafik dan draf narasi dari gudang data Kinerja, publikasi '
        f"{escape(fmt.waktu(report.publish.dipublikasikan_pada))} (run {escape(report.publish.run_id or '-')}). "
        f"Tahun pelaporan {y}, pembanding {report.tahun_lalu}. Buku kerja: {escape(files.get('workbook', ''))}; "
        f"narasi: {escape(files.get('narrative', ''))}.</p>",
        _stale_warning(report),
        "<nav><ol>" + "".join(f'<li><a href="#{a}">{escape(label)}</a></li>' for a, label in toc) + "</ol></nav>",
        '<h2 id="ringkasan">Ringkasan</h2>',
        _cards(report),
        '<h2 id="apa-yang-berubah">Apa yang berubah</h2>',
        _changes(report, by_number["Perubahan"]),
        '<h2 id="narasi">Draf narasi</h2><div class="narasi">',
        "<p><i>Draf otomatis dari templat (kinerja/publikasi/narasi.toml); periksa dan lengkapi sebelum disalin ke laporan.</i></p>",
    ]
    for s in sections:
        tag = f"h{min(6, s.level + 1)}"
        out.append(f"<{tag}>{escape(s.title)}</{tag}>")
        out += [f"<p>{escape(p)}</p>" for p in s.paragraphs]
    out.append("</div>")
    for t in lkip:
        out.append(f'<h2 id="tabel-{t.nomor.replace(".", "-")}">{escape(t.caption)}</h2>')
        out.append(table_html(t, caption=False))
        out += [_figure(f) for f in figures if f.after == t.nomor]
    out.append('<h2 id="selisih">Selisih dengan LKIP terbitan</h2>')
    out.append(
        f"<p>Setiap angka LKIP terbitan dibandingkan dengan hasil hitung gudang data: {report.rekonsiliasi.get('COCOK', 0)} cocok, "
        f"{report.rekonsiliasi.get('SELISIH', 0)} selisih, {report.rekonsiliasi.get('TIDAK_DAPAT_DIHITUNG', 0)} tidak dapat dihitung. "
        "Setiap selisih juga tercatat sebagai catatan kaki pada tabelnya.</p>"
    )
    out.append(table_html(by_number["Selisih LKIP"], caption=False))
    out.append('<h2 id="hasil-validasi">Hasil validasi</h2>')
    out.append(_validation(validations, validation_error, report))
    out.append('<h2 id="status-sumber">Status sumber data</h2>')
    out.append(table_html(by_number["Status sumber"], caption=False))
    out.append(f'<p class="meta">Dibuat oleh Kinerja dari {escape(files.get("warehouse", "gudang data"))}.</p>')
    out.append("</main></body></html>")
    return "\n".join(x for x in out if x)
