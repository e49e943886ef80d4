"""The named queries on the seeds' export: every one answers, both stores agree, and the answers hold
facts the hand-made gold file (shared/eval/gold-seeds.json) confirms."""
from __future__ import annotations

from pathlib import Path

import pytest

from kg.query import list_queries, query_prefixes, resolve_query, run_query

QUERIES = Path(__file__).resolve().parent.parent / "queries"
QUERY_NAMES = [name for name, _ in list_queries(QUERIES)]

A000, A001, A002, A003, A004 = (
    "000_b1b128fd6a01121b",
    "001_71c8181e19ee0996",
    "002_c86b686138f5b892",
    "003_7e7a52259fc2b33e",
    "004_9835168f1962842b",
)


def rows(seeds_export, query: str, store: str = "rdflib") -> list[dict[str, str]]:
    """The rows of a named query (or inline SPARQL) as {variable: text}, "" for unbound."""
    _, sparql = resolve_query(query, QUERIES)
    source = seeds_export.graph if store == "rdflib" else seeds_export.out_dir / "graph.ttl"
    result = run_query(source, sparql, store=store, prefixes=query_prefixes(seeds_export.graph))
    names = [str(v) for v in result.vars]
    return [{n: "" if v is None else str(v) for n, v in zip(names, row)} for row in result]


def test_queries_seeds_every_query_file_is_listed():
    assert QUERY_NAMES == sorted(p.stem for p in QUERIES.glob("*.rq"))
    assert len(QUERY_NAMES) >= 13


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_queries_seeds_every_query_answers_the_same_in_both_stores(seeds_export, name):
    from_rdflib = rows(seeds_export, name, "rdflib")
    from_oxigraph = rows(seeds_export, name, "oxigraph")
    assert from_rdflib, f"{name} returns no row on the seeds"
    assert from_rdflib == from_oxigraph


def _row(found: list[dict[str, str]], **match: str) -> dict[str, str]:
    """The one row whose columns have the given values."""
    hits = [row for row in found if all(row[key] == value for key, value in match.items())]
    assert len(hits) == 1, f"{len(hits)} rows match {match}: {found}"
    return hits[0]


# ------------------------------------------------------------------ facts of the gold file


@pytest.mark.parametrize(
    "participants, place, articles",
    [
        # gold M_lavrov_kim: Lavrov and Kim at Wonsan, told by 000, 001 and 004
        ("Kim Jong-un, Sergueï Lavrov", "Wonsan", f"{A000}, {A001}, {A004}"),
        # gold M_lavrov_choe: Lavrov and Choe Son Hui, told by 001 (no place demanded)
        ("Choe Son-hui, Sergueï Lavrov", None, A001),
    ],
)
def test_queries_seeds_meetings(seeds_export, participants, place, articles):
    row = _row(rows(seeds_export, "meetings"), participants=participants)
    assert row["articles"] == articles
    if place is not None:
        assert row["placeName"] == place


def test_queries_seeds_putin_and_kim_met_twice(seeds_export):
    """Gold M_putin_kim_2024 (Pyongyang, article 002) and M_kim_putin_2023 (Vostotchny, article 003)
    are two meetings, not one."""
    meetings = [r for r in rows(seeds_export, "meetings") if r["participants"] == "Kim Jong-un, Vladimir Poutine"]
    assert sorted((r["placeName"], r["articles"]) for r in meetings) == [
        ("Pyongyang", A002),
        ("cosmodrome de Vostotchny", A003),
    ]


def test_queries_seeds_meetings_of_binds_a_person(seeds_export):
    _, sparql = resolve_query("meetings-of", QUERIES)
    prefixes = query_prefixes(seeds_export.graph)
    from kg.query import parse_bindings

    bindings = parse_bindings(["person=entity:serguei-lavrov"], prefixes)
    result = run_query(seeds_export.graph, sparql, bindings, prefixes=prefixes)
    assert sorted(str(row.others) for row in result) == ["Choe Son-hui", "Kim Jong-un"]


def test_queries_seeds_the_2024_treaty(seeds_export):
    """Gold A_treaty_2024: Russia and North Korea, signed by Putin and Kim in 2024, in 000, 001, 002, 004."""
    row = _row(rows(seeds_export, "agreements"), parties="Corée du Nord, Russie", signatories="Kim Jong-un, Vladimir Poutine")
    assert row["date"] == "2024-06-19"
    assert row["articles"] == f"{A000}, {A001}, {A002}, {A004}"


@pytest.mark.parametrize(
    "supplier, recipient, category, articles, factualities",
    [
        ("Corée du Nord", "Russie", "Ammunition", f"{A000}, {A003}", None),  # gold T_ammo
        ("Corée du Nord", "Russie", "MilitaryEquipment", f"{A000}, {A002}, {A003}, {A004}", None),  # T_equipment
        ("Corée du Nord", "Russie", "RocketLaunchers", A003, "Reported"),  # T_mlrs
        ("Corée du Nord", "Russie", "Missiles", A002, "Reported"),  # T_missiles
        ("Corée du Nord", "Russie", "Artillery", A002, None),  # T_artillery
        ("Corée du Sud", "Ukraine", "MilitaryEquipment", A002, "Possible"),  # T_kr_ua
    ],
)
def test_queries_seeds_arms_transfers(seeds_export, supplier, recipient, category, articles, factualities):
    row = _row(rows(seeds_export, "arms-transfers"), supplierName=supplier, recipientName=recipient, category=category)
    assert row["articles"] == articles
    if factualities is not None:
        assert row["factualities"] == factualities


def test_queries_seeds_north_korean_transfers_have_the_gold_categories(seeds_export):
    found = [r for r in rows(seeds_export, "arms-transfers") if (r["supplierName"], r["recipientName"]) == ("Corée du Nord", "Russie")]
    assert sorted(r["category"] for r in found) == ["Ammunition", "Artillery", "MilitaryEquipment", "Missiles", "RocketLaunchers"]


def test_queries_seeds_the_troop_deployment(seeds_export):
    """Gold D_kp_troops: North Korea sends troops to Russia, in 000, 001, 002, 004."""
    row = _row(rows(seeds_export, "deployments"), senderName="Corée du Nord", recipientName="Russie")
    assert row["articles"] == f"{A000}, {A001}, {A002}, {A004}"


@pytest.mark.parametrize(
    "source, event_class, article, factuality",
    [
        ("services de renseignement sud-coréens", "Deployment", A000, "Reported"),  # gold claim D_kp_troops/000
        ("États-Unis", "Deployment", A002, "Reported"),  # D_kp_troops/002
        ("services de renseignement sud-coréens", "ArmsTransfer", A000, "Reported"),  # T_ammo/000
        ("Kyrylo Boudanov", "ArmsTransfer", A003, "Reported"),  # T_mlrs/003, T_ammo/003
    ],
)
def test_queries_seeds_claims_by_source(seeds_export, source, event_class, article, factuality):
    found = rows(seeds_export, "claims-by")
    assert any(
        (r["sourceName"], r["eventClass"], r["article"], r["factuality"]) == (source, event_class, article, factuality)
        for r in found
    ), found


EVIDENCE_QUANTITIES = """
SELECT ?event ?article ?quantity ?factuality ?source WHERE {
  ?event kgo:evidence ?evidence .
  ?evidence kgo:quantity ?quantity ; kgo:article/dcterms:identifier ?article ; kgo:factuality ?f .
  BIND (STRAFTER(STR(?f), "#") AS ?factuality)
  OPTIONAL { ?evidence kgo:attributedTo/rdfs:label ?source . FILTER (LANG(?source) = "fr") }
}
"""


@pytest.mark.parametrize(
    "event, article, quantity, factuality, source",
    [
        # gold claims: each source keeps its own number on its own evidence
        ("deployment-coree-du-nord-russie", A000, "13000", "Reported", "services de renseignement sud-coréens"),
        ("deployment-coree-du-nord-russie", A002, "10000", "Reported", "États-Unis"),
        ("armstransfer-coree-du-nord-russie-ammunition", A000, "12000000", "Reported", "services de renseignement sud-coréens"),
        ("armstransfer-coree-du-nord-russie-militaryequipment", A000, "28000", "Reported", "services de renseignement sud-coréens"),
    ],
)
@pytest.mark.parametrize("store", ["rdflib", "oxigraph"])
def test_queries_seeds_evidence_quantities(seeds_export, store, event, article, quantity, factuality, source):
    found = rows(seeds_export, EVIDENCE_QUANTITIES, store)
    expected = {
        "event": f"https://example.org/kg/event/{event}",
        "article": article,
        "quantity": quantity,
        "factuality": factuality,
        "source": source,
    }
    assert expected in found, found
