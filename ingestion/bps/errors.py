"""What can go wrong talking to BPS, each as its own exception with a message an operator can act on.

Messages never contain the API key: URLs in them are redacted (``/key/***/``).
"""

from __future__ import annotations


class BpsError(Exception):
    """Base class: BPS data could not be obtained or understood; nothing was loaded."""


class BpsConnectionError(BpsError):
    """The WebAPI could not be reached (DNS, refused, timeout) after every retry."""


class BpsHttpError(BpsError):
    """The WebAPI answered an HTTP error status (after retries for 429 and 5xx)."""


class BpsBlockedError(BpsError):
    """An HTML page came back instead of JSON: usually BPS's firewall blocking the client."""


class BpsApiError(BpsError):
    """The WebAPI answered ``{"status": "Error", "message": ...}`` (bad key, bad or too many years)."""


class BpsAnswerError(BpsError):
    """The answer is not the documented dynamic-data shape (null, missing vocabularies, bad key or value)."""
