"""The source registry (ingestion/registry.py): every declared entity has everything it needs, so
forgetting a piece is a failing test that names it, never a silent gap."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from ingestion import registry
from ingestion.registry import Entity
from kinerja import dbt
from kinerja.config import SAMPLE_INBOX, SUITES_DIR

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FIXTURE_INBOX = PROJECT_ROOT / "tests" / "fixtures" / "inbox"


def missing_pieces(entity: Entity, manifest: dict) -> list[str]:
    """What one declared entity lacks: its suite, its dbt source table and columns (agreeing
    with the declaration), a staging model reading it, a sample file its reader takes."""
    missing = []
    if not (SUITES_DIR / f"{entity.suite_name}.json").exists():
        missing.append(f"suite expectations/suites/{entity.suite_name}.json")
    sources = [n for n in manifest["sources"].values() if n["source_name"] == entity.source and n["name"] == entity.entity]
    if not sources:
        missing.append(f"source table '{entity.entity}' of source '{entity.source}' in dbt_project/models/staging/_sources.yml")
    else:
        (table,) = sources
        if table["identifier"] != f"{entity.source}__{entity.entity}" or table["schema"] != "raw":
            missing.append(f"_sources.yml: {entity.source}.{entity.entity} must read raw.{entity.source}__{entity.entity}")
        declared = [name for name, _ in entity.all_columns()]
        documented = list(table["columns"])
        if documented != declared:
            missing.append(f"_sources.yml columns of {entity.source}.{entity.entity}: {documented} != declared {declared}")
    model = f"stg_{entity.source}__{entity.entity}"
    node = manifest["nodes"].get(f"model.kinerja.{model}")
    if node is None:
        missing.append(f"staging model dbt_project/models/staging/{model}.sql")
    elif f"source.kinerja.{entity.source}.{entity.entity}" not in node["depends_on"]["nodes"]:
        missing.append(f"staging model {model} does not read source('{entity.source}', '{entity.entity}')")
    # the bundled sample, or (for data the sample takes from the repository's seeds: targets, the
    # catalogue) a test fixture of the same inbox layout
    folders = (SAMPLE_INBOX / entity.source, FIXTURE_INBOX / entity.source)
    samples = [p for folder in folders for p in folder.glob(entity.sample) if entity.takes(p)]
    if not samples:
        missing.append(f"a sample file sample_inbox/{entity.source}/{entity.sample} that the entity takes")
    return missing


def test_every_declared_entity_has_its_suite_source_table_staging_model_and_sample():
    manifest = dbt.manifest()
    declared = registry.entities()
    assert {e.key for e in declared} >= {
        "emonev.realisasi", "bps.pdrb", "sipd.anggaran", "jakpreneur.umkm", "jakpreneur.penilaian", "jakpreneur.transaksi",
        "eorder.pesanan", "target.target", "katalog.indikator", "katalog.renstra",
    }  # fmt: skip
    gaps = {e.key: missing_pieces(e, manifest) for e in declared}
    assert {k: v for k, v in gaps.items() if v} == {}


def test_the_registry_names_what_a_half_declared_source_lacks():
    """A made-up source with only a declaration: the check lists every missing piece by name."""
    half = Entity(
        source="contoh", entity="data", label="Contoh", suffixes=(".csv",), columns=(("kode", "varchar"),), read=lambda p, c: None
    )
    missing = missing_pieces(half, dbt.manifest())
    assert missing == [
        "suite expectations/suites/contoh__data.json",
        "source table 'data' of source 'contoh' in dbt_project/models/staging/_sources.yml",
        "staging model dbt_project/models/staging/stg_contoh__data.sql",
        "a sample file sample_inbox/contoh/* that the entity takes",
    ]


def test_every_sources_yml_table_is_declared_by_a_source_module():
    """The other direction: a raw table documented for dbt that no source module declares (it would
    always be empty) is a leftover."""
    declared = {(e.source, e.entity) for e in registry.entities()}
    documented = {(n["source_name"], n["name"]) for n in dbt.manifest()["sources"].values() if n["schema"] == "raw"}
    assert documented - declared == {("pipeline", "batch")}  # written by the pipeline itself, not a source


def test_every_public_mart_has_an_audit_suite():
    marts = dbt.public_marts()
    assert {"efisiensi_sasaran", "katalog_indikator"} <= set(marts) and len(marts) == 11, marts
    assert [m for m in marts if not (SUITES_DIR / f"marts__{m}.json").exists()] == []


def test_entities_land_after_what_they_need_and_files_are_told_apart():
    order = [e.key for e in registry.entities()]
    for later in ("jakpreneur.penilaian", "jakpreneur.transaksi", "eorder.pesanan"):
        assert order.index("jakpreneur.umkm") < order.index(later)
    umkm, penilaian = registry.entity("jakpreneur.umkm"), registry.entity("jakpreneur.penilaian")
    assert umkm.takes(Path("UMKM_2024.CSV")) and not umkm.takes(Path("penilaian_2024.csv"))
    assert penilaian.takes(Path("penilaian_2024.csv")) and not penilaian.takes(Path("penilaian_2024.xlsx"))
    with pytest.raises(ValueError, match="no source module declares"):
        with registry.declared(Entity("x", "y", "X", (".csv",), (), lambda p, c: None, after=("tidak.ada",))):
            registry.entities()


def test_the_parsers_stand_alone_without_the_pipeline_package():
    """ingestion/ imports nothing from kinerja/ (errors live with the parsers); reading the registry
    imports no heavy library (the DAG reads it at parse time)."""
    import subprocess

    probe = (
        "import sys; from ingestion import registry; registry.entities(); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('kinerja', 'pandas', 'duckdb', 'great_expectations', 'requests')))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=PROJECT_ROOT)
    assert json.loads(out.stdout.strip().replace("'", '"')) == []
    offenders = [str(p.relative_to(PROJECT_ROOT)) for p in (PROJECT_ROOT / "ingestion").rglob("*.py") if "kinerja" in _imports(p)]
    assert offenders == []


def _imports(path: Path) -> set[str]:
    import ast

    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
    return names
