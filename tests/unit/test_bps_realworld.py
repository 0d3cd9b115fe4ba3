"""BPS material as it really comes (issue 13): wrong tables refused with their own names, the ids
found by `kinerja bps setup` against a loopback WebAPI with decoys, unreleased quarters printed
'-', empty answers, monthly tables, HTML in labels, XLSX downloads."""

from __future__ import annotations

import copy
import json
import re

import pytest

from ingestion.bps.answer import NotAvailable, rows_from_answer
from ingestion.bps.client import BpsClient
from ingestion.bps.config import load_config
from ingestion.bps.errors import BpsAnswerError
from ingestion.bps.saved import parse_file
from ingestion.errors import InputFileError
from kinerja import bps
from tests.bps_server import KEY, RILIS_2025_02, SAMPLE_BPS

ANSWER = json.loads((SAMPLE_BPS / "pdrb_3100_adhb_2023-2024.json").read_text())
CSV = (RILIS_2025_02 / "pdrb_3100_adhb_2023-2024.csv").read_text()


def _answer(**changes):
    body = copy.deepcopy(ANSWER)
    body.update(changes)
    return body


@pytest.mark.parametrize(
    ("label", "words"),
    [
        (
            "[Seri 2010] PDRB Triwulanan Atas Dasar Harga Berlaku Menurut Pengeluaran, DKI Jakarta (Milyar Rupiah)",
            ["Menurut Pengeluaran", "expenditure side"],
        ),
        ("[Seri 2010] Laju Pertumbuhan PDRB Triwulanan Menurut Lapangan Usaha, DKI Jakarta (Persen)", ["Laju Pertumbuhan", "growth rates"]),
        (
            "[Seri 2010] Distribusi Persentase PDRB Triwulanan ADHB Menurut Lapangan Usaha, DKI Jakarta (Persen)",
            ["Distribusi Persentase", "shares"],
        ),
        (
            "[Seri 2010] PDRB Triwulanan Atas Dasar Harga Konstan 2010 Menurut Lapangan Usaha, DKI Jakarta (Milyar Rupiah)",
            ["at ADHK, configured as ADHB", "swapped"],
        ),
        (
            "[Seri 2010] PDRB Triwulanan Atas Dasar Harga Berlaku Menurut Lapangan Usaha, Kota Jakarta Selatan (Milyar Rupiah)",
            ["of Kota Jakarta Selatan (a part of the province), not of DKI Jakarta"],
        ),
    ],
    ids=["pengeluaran", "laju", "distribusi", "price-basis", "kota"],
)
def test_an_answer_of_another_table_is_refused_naming_both_tables(label, words):
    body = _answer(var=[{**ANSWER["var"][0], "label": label}])
    with pytest.raises(BpsAnswerError) as refused:
        rows_from_answer(body, load_config(), "poll")
    message = str(refused.value)
    assert label in message and "expected PDRB Triwulanan Atas Dasar Harga Berlaku Menurut Lapangan Usaha, DKI Jakarta" in message
    for word in words:
        assert word in message, message


def test_the_period_vocabulary_is_read_from_the_answer_and_a_monthly_table_is_refused():
    # another code group, "Jumlah" for the year, codes as strings: the same figures
    renumbered = {str(int(t["val"]) + 10): t["label"].replace("Tahunan", "Jumlah") for t in ANSWER["turtahun"]}
    content = {}
    for key, value in ANSWER["datacontent"].items():
        content[key[:-2] + str(int(key[-2:]) + 10)] = value
    body = _answer(turtahun=[{"val": v, "label": lbl} for v, lbl in renumbered.items()], datacontent=content)
    rows = rows_from_answer(body, load_config(), "poll")
    original = rows_from_answer(copy.deepcopy(ANSWER), load_config(), "poll")
    assert rows[["tahun", "periode", "nilai"]].equals(original[["tahun", "periode", "nilai"]])
    monthly = _answer(turtahun=[{"val": m, "label": name} for m, name in ((1, "Januari"), (2, "Februari"))])
    with pytest.raises(BpsAnswerError, match="'Januari', 'Februari': it is not a quarterly table"):
        rows_from_answer(monthly, load_config(), "poll")


def test_an_empty_answer_is_nothing_new_and_html_in_labels_is_dropped():
    assert isinstance(rows_from_answer(_answer(datacontent=[], tahun=[]), load_config(), "poll"), NotAvailable)
    tagged = _answer(vervar=[{**v, "label": f"<b>{v['label']}</b>"} for v in ANSWER["vervar"]])
    rows = rows_from_answer(tagged, load_config(), "poll")
    assert "<b>" not in "".join(rows.uraian) and set(rows.seri.dropna()) == {"TOTAL", "C", "C_MIGAS", "G"}


def test_a_quarter_printed_dash_all_down_the_column_is_not_released_but_a_single_dash_is_nihil(tmp_path):
    import csv
    import io

    table = list(csv.reader(io.StringIO(CSV)))
    # 2024 Triwulan IV and Tahunan (the last two columns) not released yet: '-' in every data row
    for row in table[3:]:
        if len(row) == 11 and row[-1].strip():
            row[-2:] = ["-", "-"]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(table)
    unreleased = buffer.getvalue().splitlines()
    path = tmp_path / "pdrb_3100_adhb_2023-2024.csv"
    path.write_text("\n".join(unreleased) + "\n")
    rows = parse_file(path, load_config())
    assert set(rows.query("tahun == 2024").periode) == {"TW1", "TW2", "TW3"}
    assert len(rows) == 19 * 8  # 19 rows x (2023: 5 periods + 2024: 3 released), nothing for the unreleased two
    # one '-' among released figures: nihil, 0
    single = CSV.replace('"A. Pertanian, Kehutanan, dan Perikanan",557.11,', '"A. Pertanian, Kehutanan, dan Perikanan",-,', 1)
    path.write_text(single)
    rows = parse_file(path, load_config())
    pertanian = rows[rows.uraian.str.startswith("A. Pertanian")]
    nihil = pertanian[pertanian.catatan == "nihil (-)"]
    assert len(nihil) == 1 and float(nihil.nilai.iloc[0]) == 0 and (nihil.tahun.iloc[0], nihil.periode.iloc[0]) == (2023, "TW1")
    assert len(pertanian) == 10 and pertanian[pertanian.catatan.isna()].nilai.astype(float).min() > 0


def test_a_saved_expenditure_table_or_a_kota_table_is_refused_as_the_wrong_table(tmp_path):
    path = tmp_path / "pdrb_3100_adhb_2023-2024.csv"
    path.write_text(CSV.replace("Menurut Lapangan Usaha", "Menurut Pengeluaran", 1))
    with pytest.raises(InputFileError, match="expenditure side"):
        parse_file(path, load_config())
    path.write_text(CSV.replace(", DKI Jakarta", ", Kota Administrasi Jakarta Selatan", 1))
    with pytest.raises(InputFileError, match="'Kota Administrasi Jakarta Selatan'"):
        parse_file(path, load_config())


def test_an_xlsx_download_reads_like_the_csv(tmp_path):
    import csv
    import io

    from openpyxl import Workbook

    book = Workbook()
    for row in csv.reader(io.StringIO(CSV)):
        book.active.append([float(c) if re.fullmatch(r"\d+\.\d+", c) else c for c in row])
    book.save(tmp_path / "pdrb_3100_adhb_2023-2024.xlsx")
    (tmp_path / "pdrb_3100_adhb_2023-2024.csv").write_text(CSV)
    from_xlsx = parse_file(tmp_path / "pdrb_3100_adhb_2023-2024.xlsx", load_config())
    from_csv = parse_file(tmp_path / "pdrb_3100_adhb_2023-2024.csv", load_config())
    key = ["uraian", "tahun", "periode"]
    assert (
        from_xlsx.sort_values(key)[key + ["seri"]]
        .reset_index(drop=True)
        .equals(from_csv.sort_values(key)[key + ["seri"]].reset_index(drop=True))
    )
    assert [float(v) for v in from_xlsx.sort_values(key).nilai] == [float(v) for v in from_csv.sort_values(key).nilai]


VARIABLES = {
    "3100": [
        (7101, "[Seri 2010] PDRB Triwulanan Atas Dasar Harga Berlaku Menurut Pengeluaran, DKI Jakarta (Milyar Rupiah)"),
        (7102, "[Seri 2010] Laju Pertumbuhan PDRB Triwulanan Menurut Lapangan Usaha, DKI Jakarta (Persen)"),
        (7103, "[Seri 2010] Distribusi Persentase PDRB Triwulanan ADHB Menurut Lapangan Usaha, DKI Jakarta (Persen)"),
        (7104, "[Seri 2010] PDRB Atas Dasar Harga Berlaku Menurut Lapangan Usaha, DKI Jakarta (Milyar Rupiah)"),  # annual
        (7105, "[Seri 2010] PDRB Triwulanan Atas Dasar Harga Berlaku Menurut Lapangan Usaha, Kota Jakarta Selatan (Milyar Rupiah)"),
        (7106, "[Seri 2010] PDRB Triwulanan Atas Dasar Harga Berlaku Menurut Lapangan Usaha, DKI Jakarta (Milyar Rupiah)"),
        (7107, "[Seri 2010] PDRB Triwulanan Atas Dasar Harga Konstan 2010 Menurut Lapangan Usaha, DKI Jakarta (Milyar Rupiah)"),
    ],
    "0000": [
        (1955, "[Seri 2010] PDB Triwulanan Atas Dasar Harga Berlaku Menurut Pengeluaran (Milyar Rupiah)"),
        (1956, "[Seri 2010] PDB Triwulanan Atas Dasar Harga Konstan 2010 Menurut Pengeluaran (Milyar Rupiah)"),
        (1207, "[Seri 2010] Laju Pertumbuhan PDB Triwulanan Menurut Lapangan Usaha (Persen)"),
        (2201, "[Seri 2010] PDB Triwulanan Atas Dasar Harga Berlaku Menurut Lapangan Usaha (Milyar Rupiah)"),
        (2202, "[Seri 2010] PDB Triwulanan Atas Dasar Harga Konstan 2010 Menurut Lapangan Usaha (Milyar Rupiah)"),
    ],
}


def _serve_variables(httpserver, variables):
    for domain, items in variables.items():
        body = {
            "status": "OK",
            "data-availability": "available",
            "data": [{"page": 1, "pages": 1, "per_page": 10, "count": len(items), "total": len(items)},
                     [{"var_id": i, "title": t, "sub_id": 52, "unit": "Milyar Rupiah"} for i, t in items]],
        }  # fmt: skip
        httpserver.expect_request(re.compile(rf".*/list/model/var/lang/ind/domain/{domain}/page/1/key/.*")).respond_with_json(body)


def test_setup_finds_the_right_ids_among_decoys_and_writes_the_operators_copy(httpserver, tmp_path):
    import dataclasses

    _serve_variables(httpserver, VARIABLES)
    config = load_config()
    config = dataclasses.replace(config, api=dataclasses.replace(config.api, base_url=httpserver.url_for("/v1/api")))
    target = tmp_path / "etc" / "bps.toml"
    result = bps.setup(KEY, target, config=config, client=BpsClient(KEY, config, sleep=lambda s: None))
    assert result.problems == []
    written = load_config(target)
    assert {d.kode: d.variabel for d in written.domains} == {"3100": {"ADHB": 7106, "ADHK": 7107}, "0000": {"ADHB": 2201, "ADHK": 2202}}
    assert KEY not in target.read_text()
    assert "found by `kinerja bps setup`" in target.read_text()

    # two candidates for one series: reported, not guessed, and nothing written
    httpserver.clear()
    doubled = {
        **VARIABLES,
        "0000": [*VARIABLES["0000"], (2301, "PDB Triwulanan Atas Dasar Harga Berlaku Menurut Lapangan Usaha, Indonesia")],
    }
    _serve_variables(httpserver, doubled)
    before = target.read_text()
    result = bps.setup(KEY, target, config=config, client=BpsClient(KEY, config, sleep=lambda s: None))
    assert result.written is None and target.read_text() == before
    assert len(result.problems) == 1 and "Indonesia (0000) ADHB: 2 variables fit, choose one by hand" in result.problems[0]
    assert "2201" in result.problems[0] and "2301" in result.problems[0]


def test_a_poll_answered_with_empty_lists_is_nothing_new(httpserver, tmp_path):
    import dataclasses

    from kinerja.config import Settings

    empty = {**ANSWER, "tahun": [], "datacontent": []}
    httpserver.expect_request(re.compile(r".*/list/model/data/.*")).respond_with_json(empty)
    config = load_config()
    config = dataclasses.replace(config, api=dataclasses.replace(config.api, base_url=httpserver.url_for("/v1/api")))
    settings = Settings.from_env(home=tmp_path / "home", inbox=tmp_path / "inbox")
    result = bps.poll(settings, KEY, years=[2024, 2025], config=config, client=BpsClient(KEY, config, sleep=lambda s: None))
    assert not result.new_release and result.requests == 4 and len(result.not_available) == 4
    assert all(reason.endswith("kosong") for reason in result.not_available)
    assert not (settings.landing_dir / "bps").exists()
