"""Which BPS table is this? Every answer and every saved table is checked against what the
configured series must be, so a wrong variable id (the expenditure side, a table of shares or
growth rates, a kota inside the province) can never load silently.

BPS variable ids cannot be verified from outside BPS, and the WebAPI answers whatever id it is
asked: the title (the ``var`` label of an answer, the title line of a saved table) is what says
which table came back. It must say PDRB/PDB by lapangan usaha, in miliar rupiah levels, at the
configured price basis, for exactly the configured region.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingestion.bps.config import Domain, normalise_label

_TAGS = re.compile(r"<[^>]+>")
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
# what a title says when it is not the table of levels by lapangan usaha
NOT_LEVELS = {
    "pengeluaran": "the expenditure side (the title says 'pengeluaran')",
    "distribusi": "a table of shares (the title says 'distribusi')",
    "persentase": "a table of shares (the title says 'persentase')",
    "kontribusi": "a table of shares (the title says 'kontribusi')",
    "laju": "a table of growth rates (the title says 'laju')",
    "pertumbuhan": "a table of growth rates (the title says 'pertumbuhan')",
    "indeks": "an index (the title says 'indeks')",
    "implisit": "a price index (the title says 'implisit')",
    "per kapita": "per-capita figures (the title says 'per kapita')",
}
# words that name a part of a province: its table is not the province's, even if it says "Jakarta"
SUB_REGION = (
    "kota",
    "kabupaten",
    "kab",
    "kepulauan seribu",
    "jakarta selatan",
    "jakarta timur",
    "jakarta barat",
    "jakarta utara",
    "jakarta pusat",
)


def strip_tags(text: str) -> str:
    """A BPS label without HTML markup (``<b>Industri</b>`` -> ``Industri``)."""
    return " ".join(_TAGS.sub(" ", str(text)).replace("&amp;", "&").replace("&nbsp;", " ").split())


def harga_of(title: str) -> str | None:
    text = normalise_label(strip_tags(title))
    words = text.split()
    if "adhb" in words or "harga berlaku" in text:
        return "ADHB"
    if "adhk" in words or "harga konstan" in text:
        return "ADHK"
    return None


def region_of(title: str) -> str | None:
    """The region a title names: the phrase after its last comma that is not a year, a unit or the
    table's own description (``..., DKI Jakarta (Milyar Rupiah)`` -> ``DKI Jakarta``)."""
    text = _PARENS.sub(" ", strip_tags(title))
    for phrase in reversed(text.split(",")[1:]):
        words = normalise_label(phrase)
        if not words or re.fullmatch(r"[\d\s]+", words) or any(w in words for w in ("menurut", "pdrb", "pdb", "milyar", "miliar")):
            continue
        return " ".join(phrase.split())
    return None


@dataclass(frozen=True)
class Identity:
    """What a title says: price basis, region (or None), and why it is not a table of levels (or None)."""

    title: str
    harga: str | None
    region: str | None
    not_levels: str | None


def identify(title: str) -> Identity:
    text = normalise_label(strip_tags(title))
    wrong = None
    if not any(w in text.split() for w in ("pdrb", "pdb")) and "produk domestik" not in text:
        wrong = "not a PDRB/PDB table"
    elif "lapangan usaha" not in text:
        wrong = next((why for word, why in NOT_LEVELS.items() if word in text), "not a table by lapangan usaha")
    else:
        wrong = next((why for word, why in NOT_LEVELS.items() if word in text), None)
    return Identity(title=strip_tags(title), harga=harga_of(title), region=region_of(title), not_levels=wrong)


def expected(domain: Domain, harga: str) -> str:
    basis = "Atas Dasar Harga Berlaku" if harga == "ADHB" else "Atas Dasar Harga Konstan"
    kind = "PDB" if domain.peran == "NASIONAL" else "PDRB"
    return f"{kind} Triwulanan {basis} Menurut Lapangan Usaha, {domain.nama} (miliar rupiah)"


def region_matches(region: str, domain: Domain) -> bool:
    """Exactly one of the domain's names (case, punctuation and a leading 'Provinsi' aside)."""
    wanted = {normalise_label(n).removeprefix("provinsi ") for n in (domain.nama, *domain.nama_di_judul)}
    return normalise_label(region).removeprefix("provinsi ") in wanted


def problem(title: str, domain: Domain, harga: str | None, where: str = "") -> str | None:
    """Why a table titled ``title`` is not the configured series of ``domain`` at ``harga`` (None if
    it is). ``harga`` None: any price basis the title states (a saved table names its own)."""
    found = identify(title)
    want = expected(domain, harga or found.harga or "ADHB")
    head = f"{where + ': ' if where else ''}this is the table {found.title!r}"
    if found.not_levels:
        return f"{head}, which is {found.not_levels}; expected {want}. Check the variable id in the BPS configuration (`kinerja bps setup` finds the right ones)"
    if found.harga is None:
        return f"{head}, whose title does not say the price basis (Harga Berlaku or Harga Konstan); expected {want}"
    if harga is not None and found.harga != harga:
        return f"{head}, at {found.harga}, configured as {harga}; expected {want}. The two variable ids of {domain.nama} may be swapped in the BPS configuration"
    if found.region is not None and not region_matches(found.region, domain):
        sub = any(w in normalise_label(found.region).split() or w in normalise_label(found.region) for w in SUB_REGION)
        what = "a part of the province" if sub and domain.peran != "NASIONAL" else "another region"
        return f"{head}, of {found.region} ({what}), not of {domain.nama}; expected {want}"
    return None
