"""The BPS WebAPI client against a real HTTP server on loopback, one test per answer shape
(docs/inbox-formats.md), and the key never leaving the request URL."""

from __future__ import annotations

import dataclasses
import json
import logging
import re
from decimal import Decimal

import pytest
import requests

from ingestion.bps import answer as bps_answer
from ingestion.bps.client import BpsClient
from ingestion.bps.config import load_config
from ingestion.bps.errors import BpsAnswerError, BpsApiError, BpsBlockedError, BpsConnectionError, BpsHttpError
from kinerja import bps
from kinerja.config import Settings
from tests.bps_server import KEY, SAMPLE_BPS

DATA = re.compile(r".*/list/model/data/.*")


def config_for(httpserver, **api):
    config = load_config()
    settings = {"base_url": httpserver.url_for("/v1/api"), "backoff_seconds": 0.5, "attempts": 3, **api}
    return dataclasses.replace(config, api=dataclasses.replace(config.api, **settings))


def client_log(caplog) -> str:
    """Every log line of this process except the loopback test server's own access log (which
    stands in for BPS's side of the connection)."""
    return "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("werkzeug"))


@pytest.fixture
def waits():
    return []


@pytest.fixture
def client(httpserver, waits):
    return BpsClient(KEY, config_for(httpserver), sleep=waits.append)


def sample_answer(domain="3100", harga="adhb", years="2023-2024"):
    return json.loads((SAMPLE_BPS / f"pdrb_{domain}_{harga}_{years}.json").read_text())


def test_ok_answer_is_parsed_against_the_vocabularies(httpserver, client):
    httpserver.expect_request(re.compile(r".*/domain/3100/var/2536/th/123;124/key/KUNCI-rahasia-9f8e7d6c5b4a/")).respond_with_json(
        sample_answer()
    )
    answers = client.data("3100", 2536, [2023, 2024])
    assert [a.years for a in answers] == [(2023, 2024)]
    assert "KUNCI" not in answers[0].url and answers[0].url.endswith("/th/123;124/key/***/")
    rows = bps_answer.rows_from_answer(answers[0].body, client.config, answers[0].url, "3100")
    # 19 rows (17 lapangan usaha, the migas sub-row, total) x (2023: 4 quarters + year; 2024: 3 quarters)
    assert len(rows) == 19 * 8
    total_2023 = rows[(rows.seri == "TOTAL") & (rows.tahun == 2023) & (rows.periode == "TAHUNAN")].nilai.item()
    quarters = rows[(rows.seri == "TOTAL") & (rows.tahun == 2023) & (rows.periode.str.startswith("TW"))].nilai.sum()
    assert total_2023 == quarters and total_2023 == Decimal("2757719.09")
    migas = rows[(rows.seri == "C_MIGAS")]
    assert set(migas.nilai) == {Decimal(0)} and set(migas.catatan) == {"nihil (-)"}  # Jakarta prints "-"
    assert set(rows.status_angka) == {"sementara", "sangat sementara"}
    request = httpserver.log[0][0]
    assert "Mozilla/5.0" in request.headers["User-Agent"]


def test_years_are_split_into_calls_of_two(httpserver, client):
    httpserver.expect_request(DATA).respond_with_json({"status": "OK", "data-availability": "not-available"})
    answers = client.data("3100", 2536, range(2019, 2025))
    assert [re.search(r"/th/([^/]+)/", r.path).group(1) for r, _ in httpserver.log] == ["119;120", "121;122", "123;124"]
    assert all(a.not_available and a.not_available.reason == "not-available" for a in answers)


@pytest.mark.parametrize("reason", ["list-not-available", "not-available"])
def test_not_available_is_explicit_not_an_error(httpserver, client, reason):
    httpserver.expect_request(DATA).respond_with_json({"status": "OK", "data-availability": reason})
    (answer,) = client.data("0000", 1955, [2025])
    assert answer.not_available == bps_answer.NotAvailable(reason)
    assert bps_answer.rows_from_answer(answer.body, client.config, "x", "0000") == bps_answer.NotAvailable(reason)


def test_429_then_ok_honours_retry_after(httpserver, client, waits):
    httpserver.expect_ordered_request(DATA).respond_with_data("slow down", status=429, headers={"Retry-After": "7"})
    httpserver.expect_ordered_request(DATA).respond_with_json(sample_answer())
    (answer,) = client.data("3100", 2536, [2023, 2024])
    assert answer.body["status"] == "OK" and client.requests_made == 2
    assert waits == [7.0]


def test_5xx_until_retries_run_out_is_a_clear_error(httpserver, client, waits):
    httpserver.expect_request(DATA).respond_with_data("oops", status=503)
    with pytest.raises(BpsHttpError, match=r"HTTP 503 .* on all 3 attempts") as exc:
        client.data("3100", 2536, [2023, 2024])
    assert len(httpserver.log) == 3 and waits == [0.5, 1.0]  # exponential backoff
    assert KEY not in str(exc.value)


def test_html_block_page_is_recognised(httpserver, client):
    page = "<!DOCTYPE html><html><head><title>Request Rejected</title></head><body>The requested URL was rejected.</body></html>"
    httpserver.expect_request(DATA).respond_with_data(page, status=403, content_type="text/html")
    with pytest.raises(BpsBlockedError, match=r"HTML page \(HTTP 403, title 'Request Rejected'\).*firewall"):
        client.data("3100", 2536, [2023, 2024])


def test_status_error_answer(httpserver, client):
    httpserver.expect_request(DATA).respond_with_json({"status": "Error", "message": "Invalid or expired key"})
    with pytest.raises(BpsApiError, match="Invalid or expired key"):
        client.data("3100", 2536, [2023, 2024])


@pytest.mark.parametrize(
    "respond",
    [
        lambda r: r.respond_with_json({"status": "Error", "message": f"Key {KEY} is not valid"}),
        lambda r: r.respond_with_data(f"<html><title>Blocked {KEY}</title></html>", status=403, content_type="text/html"),
        lambda r: r.respond_with_data("x" * 190 + KEY, status=404),
        lambda r: r.respond_with_data("{not json " + "y" * 100 + KEY, status=200, content_type="application/json"),
    ],
    ids=["error-message", "html-title", "http-body-at-the-cut", "not-json"],
)
def test_a_key_echoed_back_by_bps_is_redacted(httpserver, client, respond):
    respond(httpserver.expect_request(DATA))
    with pytest.raises(Exception) as exc:  # noqa: PT011 - each shape has its own class, tested above
        client.data("3100", 2536, [2024])
    assert KEY not in str(exc.value) and KEY[:6] not in str(exc.value)


def test_null_answer_is_retried_year_by_year_then_an_error(httpserver, client):
    httpserver.expect_request(re.compile(r".*/th/123;124/.*")).respond_with_json(None)
    httpserver.expect_request(re.compile(r".*/th/123/.*")).respond_with_json(sample_answer())
    httpserver.expect_request(re.compile(r".*/th/124/.*")).respond_with_json(None)
    with pytest.raises(BpsAnswerError, match="answered null"):
        client.data("3100", 2536, [2023, 2024])
    assert [re.search(r"/th/([^/]+)/", r.path).group(1) for r, _ in httpserver.log] == ["123;124", "123", "124"]


def test_malformed_datacontent_key_names_the_key(httpserver, client):
    body = sample_answer()
    body["datacontent"]["99925360123312"] = 1.0
    httpserver.expect_request(DATA).respond_with_json(body)
    (answer,) = client.data("3100", 2536, [2023, 2024])
    with pytest.raises(BpsAnswerError, match=r"key '99925360123312' is not vervar\+var\+turvar\+tahun\+turtahun"):
        bps_answer.rows_from_answer(answer.body, client.config, answer.url, "3100")


def test_dash_is_nihil_and_dots_not_available():
    config = load_config()
    body = sample_answer()
    key_c = "32536012331"  # vervar 3 (C), var 2536, turvar 0, tahun 123, Triwulan I
    key_g = "72536012331"
    body["datacontent"][key_c] = "-"
    body["datacontent"][key_g] = "..."
    rows = bps_answer.rows_from_answer(body, config, "x", "3100")
    c = rows[(rows.seri == "C") & (rows.tahun == 2023) & (rows.periode == "TW1")].iloc[0]
    g = rows[(rows.seri == "G") & (rows.tahun == 2023) & (rows.periode == "TW1")].iloc[0]
    assert (c.nilai, c.catatan) == (Decimal(0), "nihil (-)")
    assert g.nilai is None and g.catatan == "tidak tersedia"
    body["datacontent"][key_g] = "abc"
    with pytest.raises(BpsAnswerError, match=r"'abc' is not a number"):
        bps_answer.rows_from_answer(body, config, "x", "3100")


@pytest.mark.parametrize(
    "shape",
    ["list-not-available", "429-forever", "503", "html", "error", "null", "bad-key", "bad-value"],
)
def test_a_failing_poll_lands_nothing_and_never_logs_the_key(httpserver, tmp_path, caplog, shape):
    """Every error shape during a poll: a clear exception (or nothing to land), no batch in the
    landing zone, and the key in no log line, exception text or stored file."""
    settings = Settings.from_env(home=tmp_path / "home", inbox=tmp_path / "inbox")
    config = config_for(httpserver, attempts=2, backoff_seconds=0.0)
    good = sample_answer()
    bad_key = dict(good, datacontent={**good["datacontent"], "1": 5})
    bad_value = dict(good, datacontent={**good["datacontent"], "12536012331": {"x": 1}})
    responses = {
        "list-not-available": lambda r: r.respond_with_json({"status": "OK", "data-availability": "list-not-available"}),
        "429-forever": lambda r: r.respond_with_data("", status=429),
        "503": lambda r: r.respond_with_data("", status=503),
        "html": lambda r: r.respond_with_data("<html><title>Blocked</title></html>", status=200, content_type="text/html"),
        "error": lambda r: r.respond_with_json({"status": "Error", "message": "th must have at most 2 years"}),
        "null": lambda r: r.respond_with_json(None),
        "bad-key": lambda r: r.respond_with_json(bad_key),
        "bad-value": lambda r: r.respond_with_json(bad_value),
    }
    # the first variable answers well, the failing one comes second: still nothing may land
    httpserver.expect_request(re.compile(r".*/var/2536/.*")).respond_with_json(good)
    responses[shape](httpserver.expect_request(DATA))
    caplog.set_level(logging.DEBUG)
    logging.getLogger("urllib3").setLevel(logging.DEBUG)
    client = BpsClient(KEY, config, sleep=lambda s: None)
    error = None
    try:
        result = bps.poll(settings, KEY, years=[2024], config=config, client=client)
    except Exception as exc:  # noqa: BLE001 - every shape must be a BpsError
        error = exc
    landed = list(settings.landing_dir.rglob("batch.json"))
    if shape == "list-not-available":
        # not an error: the variables that have data land, the others are reported as not available
        assert error is None and result.new_release and len(result.not_available) == 3 and len(landed) == 1
    else:
        assert error is not None and type(error).__module__ == "ingestion.bps.errors", repr(error)
        assert KEY not in str(error) and KEY not in repr(error.__context__) and KEY not in repr(error.__cause__)
        assert landed == []
    ours = client_log(caplog)
    assert ours, "the client logs its requests"
    assert KEY not in ours
    assert "key/***/" in ours


def test_connection_refused_is_retried_then_clear_and_redacted(caplog):
    config = load_config()
    config = dataclasses.replace(
        config, api=dataclasses.replace(config.api, base_url="http://127.0.0.1:9/v1/api", attempts=2, timeout_seconds=2)
    )
    caplog.set_level(logging.DEBUG)
    client = BpsClient(KEY, config, sleep=lambda s: None)
    with pytest.raises(BpsConnectionError, match=r"could not be reached .*key/\*\*\*/ after 2 attempts \(ConnectionError") as exc:
        client.data("3100", 2536, [2024])
    assert KEY not in str(exc.value) and KEY not in client_log(caplog) and "key/***/" in client_log(caplog)


def test_a_landed_poll_stores_no_key(httpserver, tmp_path):
    settings = Settings.from_env(home=tmp_path / "home", inbox=tmp_path / "inbox")
    config = config_for(httpserver)
    from tests.bps_server import serve_release

    serve_release(httpserver, "awal")
    result = bps.poll(settings, KEY, years=[2023, 2024], config=config, client=BpsClient(KEY, config))
    assert result.new_release and result.requests == 4
    for path in settings.landing_dir.rglob("*"):
        assert KEY not in path.name
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path


def test_missing_key_is_refused_before_any_request():
    with pytest.raises(BpsHttpError, match="KINERJA_BPS_KEY"):
        BpsClient("", load_config())


def test_requests_session_errors_are_not_leaked(monkeypatch):
    """Even an exception text that quotes the URL (requests does) comes out redacted."""
    config = load_config()
    client = BpsClient(KEY, config, sleep=lambda s: None)

    def boom(url, timeout):
        raise requests.ConnectionError(f"HTTPSConnectionPool: Max retries exceeded with url: {url}")

    monkeypatch.setattr(client.session, "get", boom)
    with pytest.raises(BpsConnectionError) as exc:
        client.data("3100", 2536, [2024])
    assert KEY not in str(exc.value) and "***" in str(exc.value)
