"""HTTP client for the BPS WebAPI dynamic-data endpoint, built on ``requests``.

- The key comes from the caller (environment ``KINERJA_BPS_KEY`` or the Airflow connection
  ``kinerja_bps``); it is only ever put in the request URL. Every URL this module logs, stores
  or puts in an exception is redacted to ``/key/***/``, and a logging filter redacts it from
  urllib3's own debug lines.
- Timeouts on every request; retries with exponential backoff on connection errors, HTTP 429 and
  5xx, honouring ``Retry-After``; a browser-like User-Agent (BPS's firewall blocks bare clients).
- ``th`` is split into calls of at most ``years_per_call`` years (2 for a province domain); an
  answer of ``null`` (request too large) is retried year by year.
- Every error shape becomes a :mod:`ingestion.bps.errors` exception or an explicit
  :class:`~ingestion.bps.answer.NotAvailable`; nothing is returned half-parsed.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import requests

from ingestion.bps.answer import NotAvailable, check_status
from ingestion.bps.config import BpsConfig
from ingestion.bps.errors import BpsAnswerError, BpsBlockedError, BpsConnectionError, BpsHttpError

log = logging.getLogger("kinerja.bps")
REDACTED = "***"


class _RedactKeys(logging.Filter):
    """Replace every registered key in a log record's final message."""

    keys: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if self.keys:
            message = record.getMessage()
            redacted = redact(message)
            if redacted != message:
                record.msg, record.args = redacted, ()
        return True


_FILTER = _RedactKeys()
for _name in ("urllib3", "urllib3.connectionpool", "requests", "kinerja", "kinerja.bps"):
    logging.getLogger(_name).addFilter(_FILTER)


def redact(text: str) -> str:
    for key in _RedactKeys.keys:
        text = text.replace(key, REDACTED)
    return text


def year_chunks(years: Iterable[int], size: int) -> list[list[int]]:
    ordered = sorted(set(years))
    return [ordered[i : i + size] for i in range(0, len(ordered), size)]


@dataclass(frozen=True)
class Answer:
    """One successful (or explicitly unavailable) answer, with the redacted URL that produced it."""

    domain: str
    var_id: int
    years: tuple[int, ...]
    url: str  # redacted
    body: Any  # the parsed JSON answer
    not_available: NotAvailable | None = None


class BpsClient:
    def __init__(
        self,
        key: str,
        config: BpsConfig,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not key or not key.strip():
            raise BpsHttpError("no BPS WebAPI key: set KINERJA_BPS_KEY or the password of the Airflow connection 'kinerja_bps'")
        self._key = key.strip()
        _RedactKeys.keys.add(self._key)
        self.config = config
        self.session = session or requests.Session()
        self.session.headers.update({"User-Agent": config.api.user_agent, "Accept": "application/json"})
        self.sleep = sleep
        self.requests_made = 0

    # -- URLs -----------------------------------------------------------------------------------
    def _url(self, domain: str, var_id: int, years: list[int], key: str) -> str:
        th = ";".join(str(y - 1900) for y in years)
        api = self.config.api
        return f"{api.base_url.rstrip('/')}/list/model/data/lang/{api.lang}/domain/{domain}/var/{var_id}/th/{th}/key/{key}/"

    def redacted_url(self, domain: str, var_id: int, years: list[int]) -> str:
        return self._url(domain, var_id, years, REDACTED)

    # -- one HTTP request with retries ----------------------------------------------------------
    def _wait_for(self, response: requests.Response | None, attempt: int) -> float:
        api = self.config.api
        wait = api.backoff_seconds * (2 ** (attempt - 1))
        header = response.headers.get("Retry-After") if response is not None else None
        if header:
            try:
                wait = float(header)
            except ValueError:
                try:
                    wait = max(0.0, parsedate_to_datetime(header).timestamp() - time.time())
                except (TypeError, ValueError):
                    pass
        return min(max(wait, 0.0), api.max_wait_seconds)

    def _get(self, domain: str, var_id: int, years: list[int]) -> Any:
        shown = self.redacted_url(domain, var_id, years)
        api = self.config.api
        last = ""
        for attempt in range(1, api.attempts + 1):
            response = None
            try:
                self.requests_made += 1
                log.info("BPS request %s (attempt %d/%d)", shown, attempt, api.attempts)
                response = self.session.get(self._url(domain, var_id, years, self._key), timeout=api.timeout_seconds)
            except (requests.exceptions.InvalidURL, requests.exceptions.MissingSchema, requests.exceptions.InvalidSchema) as exc:
                raise BpsConnectionError(
                    f"BPS WebAPI URL {shown} is not valid ({type(exc).__name__}); check base_url in bps.toml or the connection host"
                ) from None
            except requests.RequestException as exc:
                last = f"{type(exc).__name__}: {redact(str(exc))}"
            else:
                if response.status_code == 429 or response.status_code >= 500:
                    last = f"HTTP {response.status_code}"
                else:
                    return self._decode(response, shown)
            if attempt < api.attempts:
                wait = self._wait_for(response, attempt)
                log.warning("BPS %s: %s; retrying in %.1f s", shown, last, wait)
                self.sleep(wait)
        if last.startswith("HTTP"):
            raise BpsHttpError(f"BPS WebAPI answered {last} to {shown} on all {api.attempts} attempts; try again later")
        raise BpsConnectionError(f"BPS WebAPI could not be reached at {shown} after {api.attempts} attempts ({last})")

    def _decode(self, response: requests.Response, shown: str) -> Any:
        text = response.text
        content_type = response.headers.get("Content-Type", "")
        looks_html = "html" in content_type.lower() or text.lstrip()[:15].lower().startswith(("<!doctype", "<html", "<"))
        if looks_html:
            title = ""
            lowered = text.lower()
            if "<title>" in lowered:
                start = lowered.index("<title>") + 7
                title = redact(text[start : lowered.find("</title>", start)]).strip()[:100]
            raise BpsBlockedError(
                f"BPS answered an HTML page (HTTP {response.status_code}{', title ' + repr(title) if title else ''}) instead of JSON "
                f"to {shown}: usually the BPS firewall blocking this client or network; check the User-Agent in bps.toml and the outbound IP"
            )
        if response.status_code >= 400:
            raise BpsHttpError(f"BPS WebAPI answered HTTP {response.status_code} to {shown}: {redact(text)[:200]}")
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise BpsAnswerError(f"BPS answer to {shown} is not JSON ({exc.msg} at position {exc.pos}): {redact(text)[:120]!r}") from None

    # -- public API -----------------------------------------------------------------------------
    def data(self, domain: str, var_id: int, years: Iterable[int]) -> list[Answer]:
        """All answers for one variable and domain over the given years, in calls of at most
        ``years_per_call`` years. Raises a BpsError subclass; never returns a partial set."""
        answers: list[Answer] = []
        pending = year_chunks(years, max(1, self.config.api.years_per_call))
        while pending:
            chunk = pending.pop(0)
            shown = self.redacted_url(domain, var_id, chunk)
            body = self._get(domain, var_id, chunk)
            if body is None and len(chunk) > 1:
                log.warning("BPS answered null to %s (request too large); asking year by year", shown)
                pending[0:0] = [[y] for y in chunk]
                continue
            unavailable = check_status(body, shown)
            answers.append(Answer(domain, var_id, tuple(chunk), shown, body, unavailable))
        return answers

    def variables(self, domain: str, keyword: str | None = None) -> list[dict]:
        """The variables of a domain (``list/model/var``), to find the ids for bps.toml."""
        api = self.config.api
        found: list[dict] = []
        page = 1
        while True:
            path = f"/list/model/var/lang/{api.lang}/domain/{domain}/page/{page}/"
            if keyword:
                path = f"/list/model/var/lang/{api.lang}/domain/{domain}/keyword/{requests.utils.quote(keyword)}/page/{page}/"
            shown = api.base_url.rstrip("/") + path + f"key/{REDACTED}/"
            try:
                response = self.session.get(api.base_url.rstrip("/") + path + f"key/{self._key}/", timeout=api.timeout_seconds)
            except requests.RequestException as exc:
                raise BpsConnectionError(f"BPS WebAPI could not be reached at {shown}: {type(exc).__name__}: {redact(str(exc))}") from None
            body = self._decode(response, shown)
            if check_status(body, shown) or not isinstance(body.get("data"), list) or len(body["data"]) < 2:
                return found
            meta, items = body["data"][0], body["data"][1]
            found.extend(items)
            if page >= int(meta.get("pages", 1) or 1):
                return found
            page += 1
