"""The interactive page without a browser: its data, its safety and its determinism."""
from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import rdflib

from kg.errors import OutputError
from kg.page import layout_positions, page_data, render_page, write_page

MINI = Path(__file__).parent / "data" / "mini.ttl"
E = "https://example.org/kg/entity/"
V = "https://example.org/kg/event/"
EV = "https://example.org/kg/evidence/"
A = "https://example.org/kg/article/"

# An article whose title and sentence carry markup: the page must show it, never run it.
INJECTED_TTL = """
@prefix kgo: <https://example.org/kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
<https://example.org/kg/article/x1> a kgo:Article ;
    dcterms:identifier "x1" ;
    dcterms:title "Piège <img src=x onerror=alert(1)> & <script>alert(2)</script>" .
<https://example.org/kg/entity/bielorussie> a kgo:State ;
    rdfs:label "Biélorussie <b>gras</b>"@fr ;
    owl:sameAs <javascript:alert(3)> .
<https://example.org/kg/entity/ukraine> a kgo:State ; rdfs:label "Ukraine"@fr .
<https://example.org/kg/event/meeting-x> a kgo:Meeting ;
    rdfs:label "Rencontre <img src=x onerror=alert(4)>"@fr ;
    kgo:participant <https://example.org/kg/entity/bielorussie>, <https://example.org/kg/entity/ukraine> ;
    kgo:evidence <https://example.org/kg/evidence/x-1> .
<https://example.org/kg/evidence/x-1> a kgo:Evidence ;
    kgo:article <https://example.org/kg/article/x1> ;
    kgo:text "Les délégués <img src=x onerror=alert(5)> se sont rencontrés à Minsk </script><script>alert(6)</script>."@fr ;
    kgo:start 10 ;
    kgo:trigger "rencontrés"@fr ;
    kgo:triggerStart 60 ;
    kgo:triggerEnd 70 ;
    kgo:factuality kgo:Asserted .
"""


@pytest.fixture(scope="module")
def mini() -> rdflib.Graph:
    return rdflib.Graph().parse(MINI)


@pytest.fixture(scope="module")
def mini_data(mini) -> dict:
    return page_data(mini)


@pytest.fixture(scope="module")
def mini_html(mini) -> str:
    return render_page(mini)


def injected_graph() -> rdflib.Graph:
    return rdflib.Graph().parse(data=INJECTED_TTL, format="turtle")


def data_block(document: str) -> str:
    return re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', document, re.S).group(1)


def without_data_block(document: str) -> str:
    return document.replace(data_block(document), "")


def inline_scripts(document: str) -> list[str]:
    return re.findall(r"<script>(.*?)</script>", document, re.S)


# --------------------------------------------------------------------------- page_data


def test_page_data_nodes_and_classes(mini_data):
    classes = {node["id"]: node["cls"] for node in mini_data["nodes"]}
    assert len(mini_data["nodes"]) == 12
    assert classes == {
        E + "coree-du-nord": "State",
        E + "coree-du-sud": "State",
        E + "russie": "State",
        E + "kim-jong-un": "Person",
        E + "sergueï-choïgou": "Person",
        E + "sergueï-lavrov": "Person",
        E + "services-de-renseignement-sud-coréens": "Organization",
        E + "wonsan": "Place",
        V + "agreement-2a3b4c5d": "Agreement",
        V + "armstransfer-4e5f6a7b": "ArmsTransfer",
        V + "deployment-8c9d0e1f": "Deployment",
        V + "meeting-0a1b2c3d": "Meeting",
    }
    assert [node["id"] for node in mini_data["nodes"]] == sorted(classes, key=lambda i: (V in i, i))


def test_page_data_evidence_per_event(mini_data):
    evidence = {node["id"]: node["evidence"] for node in mini_data["nodes"] if node["kind"] == "event"}
    assert evidence == {
        V + "agreement-2a3b4c5d": [EV + "2a3b4c5d-1"],
        V + "armstransfer-4e5f6a7b": [EV + "4e5f6a7b-1", EV + "4e5f6a7b-2"],
        V + "deployment-8c9d0e1f": [EV + "8c9d0e1f-1"],
        V + "meeting-0a1b2c3d": [EV + "0a1b2c3d-1"],
    }


@pytest.mark.parametrize(
    ("evidence", "relative", "trigger"),
    [
        ("0a1b2c3d-1", (14, 18), "reçu"),
        ("4e5f6a7b-1", (24, 29), "livré"),
        ("4e5f6a7b-2", (12, 19), "expédié"),  # sentence starts at 77 in its article
        ("8c9d0e1f-1", (49, 57), "déployés"),
        ("2a3b4c5d-1", (14, 19), "signé"),
    ],
)
def test_page_data_trigger_offsets_relative_to_sentence(mini_data, evidence, relative, trigger):
    item = mini_data["evidence"][EV + evidence]
    assert (item["triggerStart"], item["triggerEnd"]) == relative
    assert item["text"][relative[0] : relative[1]] == trigger


def test_page_data_evidence_details(mini_data):
    reported = mini_data["evidence"][EV + "4e5f6a7b-1"]
    assert reported["factuality"] == "Reported"
    assert reported["claimer"] == E + "services-de-renseignement-sud-coréens"
    assert reported["claimerLabel"] == "services de renseignement sud-coréens"
    assert reported["quantity"] == "12000000"
    assert reported["article"] == A + "a2"
    assert mini_data["evidence"][EV + "4e5f6a7b-2"]["quantity"] == "1000000"


def test_page_data_event_details(mini_data):
    transfer = next(n for n in mini_data["nodes"] if n["id"] == V + "armstransfer-4e5f6a7b")
    assert transfer["quantity"] == "12000000"
    assert transfer["qualifier"] == "Approximately"
    assert transfer["conflict"] is True
    assert transfer["items"] == ["obus de 152 mm"]
    assert transfer["itemCategories"] == ["Ammunition"]
    assert transfer["dates"] == [{"value": "2024-10", "datatype": "gYearMonth"}]
    assert transfer["factualities"] == ["Asserted", "Reported"]
    assert transfer["articles"] == [A + "a1", A + "a2"]


def test_page_data_edges_follow_roles(mini_data):
    edges = {(e["from"], e["role"], e["to"], e["arrow"]) for e in mini_data["edges"]}
    transfer = V + "armstransfer-4e5f6a7b"
    assert (E + "coree-du-nord", "supplier", transfer, True) in edges  # supplier → event
    assert (transfer, "recipient", E + "russie", True) in edges  # event → recipient
    assert (E + "sergueï-lavrov", "participant", V + "meeting-0a1b2c3d", False) in edges
    assert (V + "meeting-0a1b2c3d", "place", E + "wonsan", False) in edges
    assert (E + "kim-jong-un", "affiliation", E + "coree-du-nord", True) in edges
    assert len(mini_data["edges"]) == 13
    assert [e["id"] for e in mini_data["edges"]] == sorted(e["id"] for e in mini_data["edges"])


def test_page_data_entity_details(mini_data):
    kim = next(n for n in mini_data["nodes"] if n["id"] == E + "kim-jong-un")
    assert kim["altLabels"] == ["Kim", "Kim Jong Un"]
    assert kim["roles"] == ["dirigeant"]
    assert kim["affiliations"] == [E + "coree-du-nord"]
    assert kim["articles"] == [A + "a1"]
    russia = next(n for n in mini_data["nodes"] if n["id"] == E + "russie")
    assert russia["wikidata"] == "http://www.wikidata.org/entity/Q159"


def test_page_data_articles_and_timeline(mini_data):
    assert mini_data["articles"][A + "a1"] == {
        "identifier": "a1",
        "title": "Visite à Wonsan",
        "date": "2025-07-13",
        "source": "Exemple Presse",
        "file": "a1.txt",
    }
    assert [(t["date"], t["event"]) for t in mini_data["timeline"]] == [
        ("2024-06-19", V + "agreement-2a3b4c5d"),
        ("2024-10", V + "armstransfer-4e5f6a7b"),
        ("2025-07-12", V + "meeting-0a1b2c3d"),
    ]


def test_page_data_drops_a_sameas_that_is_not_a_wikidata_entity():
    bielorussie = next(n for n in page_data(injected_graph())["nodes"] if n["id"] == E + "bielorussie")
    assert bielorussie["wikidata"] is None


@pytest.mark.parametrize(
    ("start", "t_start", "t_end", "expected"),
    [
        (10, 60, 70, (50, 60)),  # offsets in the article, as exported
        (10, 5, 9, (50, 60)),  # before the sentence: found by the trigger word instead
        (10, 61, 71, (50, 60)),  # off by one: does not spell the trigger, found by the word
        (0, 50, 60, (50, 60)),  # a sentence at the start of its article
    ],
)
def test_page_data_trigger_offsets_are_checked(start, t_start, t_end, expected):
    ttl = INJECTED_TTL.replace("kgo:start 10", f"kgo:start {start}")
    ttl = ttl.replace("kgo:triggerStart 60", f"kgo:triggerStart {t_start}").replace("kgo:triggerEnd 70", f"kgo:triggerEnd {t_end}")
    item = page_data(rdflib.Graph().parse(data=ttl, format="turtle"))["evidence"][EV + "x-1"]
    assert (item["triggerStart"], item["triggerEnd"]) == expected
    assert item["text"][expected[0] : expected[1]] == "rencontrés"


def test_page_data_of_an_empty_graph():
    assert page_data(rdflib.Graph()) == {"nodes": [], "edges": [], "evidence": {}, "articles": {}, "timeline": []}


# --------------------------------------------------------------------------- the document


def test_render_page_is_deterministic(mini, mini_html):
    assert render_page(mini) == mini_html
    # the same triples parsed in another order give the same bytes
    lines = rdflib.Graph().parse(MINI).serialize(format="nt").splitlines()
    shuffled = rdflib.Graph().parse(data="\n".join(reversed(lines)), format="nt")
    assert render_page(shuffled) == mini_html
    assert render_page(shuffled, layout_threshold=5) == render_page(mini, layout_threshold=5)


def test_render_page_is_the_same_in_another_process():
    """String hashing differs between processes; nothing on the page may depend on it."""
    program = (
        "import hashlib, sys, rdflib; from kg.page import render_page; "
        f"g = rdflib.Graph().parse({str(MINI)!r}); "
        "sys.stdout.write(hashlib.sha256(render_page(g, layout_threshold=5).encode()).hexdigest())"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", program], env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True, check=True
        ).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1


def test_render_page_loads_nothing_from_the_network(mini_html):
    markup = without_data_block(mini_html)
    # the only URLs outside the data are in the vendored licence header, the SVG namespace
    # name and library strings; none is in an attribute or a stylesheet that would load it
    assert re.findall(r"""(?:src|href|action|srcset|poster|data)\s*=\s*["']?\s*(?:https?:)?//""", markup, re.I) == []
    assert "@import" not in markup
    assert re.findall(r"url\(\s*['\"]?\s*(?:https?:)?//", markup, re.I) == []
    assert "sourceMappingURL" not in markup
    assert re.findall(r"<(?:link|img|iframe|embed|object)\b[^>]*>", markup) == ['<link rel="icon" href="data:,">']
    assert '<script src' not in markup


def test_render_page_csp_hashes_match_the_inline_scripts(mini_html):
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', mini_html).group(1)
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["img-src"] == "data:"
    scripts = inline_scripts(mini_html)
    assert len(scripts) == 2  # vis-network, then the page's own script
    expected = {"'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'" for s in scripts}
    assert set(directives["script-src"].split()) == expected
    assert "unsafe-inline" not in directives["script-src"] and "unsafe-eval" not in directives["script-src"]


def test_page_vendored_vis_network_is_the_recorded_release():
    assets = Path(__file__).parent.parent / "kg" / "page"
    recorded = re.search(r"sha256 `([0-9a-f]{64})`", (assets / "VENDORED.md").read_text()).group(1)
    assert hashlib.sha256((assets / "vis-network.min.js").read_bytes()).hexdigest() == recorded
    assert (assets / "vis-network.LICENSE-MIT").exists() and (assets / "vis-network.LICENSE-APACHE-2.0").exists()


def test_render_page_keeps_the_vis_network_licence(mini_html):
    assert "@license" in inline_scripts(mini_html)[0][:1000]
    assert "vis.js is dual licensed" in inline_scripts(mini_html)[0][:1000]


def test_render_page_escapes_injected_markup(mini_html):
    assert "<script>alert(1)</script>" not in mini_html  # mini.ttl's own evidence sentence
    assert "Wonsan \\u003cscript\\u003ealert(1)\\u003c/script\\u003e." in data_block(mini_html)
    document = render_page(injected_graph())
    for raw in ("<img src=x onerror=alert(", "<script>alert(", "</script><script>", "<b>gras</b>"):
        assert raw not in document
    block = data_block(document)
    assert "\\u003cimg src=x onerror=alert(5)\\u003e" in block
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(6)" in block
    assert "\\u0026" in block and "&" not in block
    # the escaped JSON still reads back to the article's own characters
    data = json.loads(block)
    assert data["evidence"][EV + "x-1"]["text"].startswith("Les délégués <img src=x onerror=alert(5)>")
    assert data["articles"][A + "x1"]["title"] == "Piège <img src=x onerror=alert(1)> & <script>alert(2)</script>"


@pytest.mark.parametrize("character", ["\u2028", "\u2029"])
def test_render_page_escapes_line_separators(character):
    graph = injected_graph()
    graph.add((rdflib.URIRef(E + "ukraine"), rdflib.SKOS.altLabel, rdflib.Literal(f"Kyiv{character}Kiev")))
    block = data_block(render_page(graph))
    assert character not in block
    assert json.loads(block)["nodes"][1]["altLabels"] == [f"Kyiv{character}Kiev"]


def test_render_page_title_is_escaped():
    document = render_page(rdflib.Graph(), title="Corée <script>x</script> & Russie")
    assert "<title>Corée &lt;script&gt;x&lt;/script&gt; &amp; Russie</title>" in document


def test_render_page_small_graph_leaves_layout_to_physics(mini_html):
    data = json.loads(data_block(mini_html))
    assert data["layout"] == {"fixed": False, "physics": True, "threshold": 300}
    assert not any("x" in node for node in data["nodes"])


def test_render_page_large_graph_has_fixed_positions_and_no_physics(mini):
    data = json.loads(data_block(render_page(mini, layout_threshold=5)))
    assert data["layout"] == {"fixed": True, "physics": False, "threshold": 5}
    positions = [(node["x"], node["y"]) for node in data["nodes"]]
    assert all(isinstance(c, float) for p in positions for c in p)
    assert len(set(positions)) == 12


# --------------------------------------------------------------------------- layout


def test_layout_positions_keeps_clusters_together():
    left = [f"a{i:02d}" for i in range(12)]
    right = [f"b{i:02d}" for i in range(12)]
    edges = [(x, y) for group in (left, right) for x in group for y in group if x < y] + [("a00", "b00")]
    positions = layout_positions(left + right, edges)

    def mean_distance(pairs):
        return sum(((positions[x][0] - positions[y][0]) ** 2 + (positions[x][1] - positions[y][1]) ** 2) ** 0.5 for x, y in pairs) / len(pairs)

    inside = mean_distance([(x, y) for x in left for y in left if x < y])
    across = mean_distance([(x, y) for x in left for y in right])
    assert inside * 1.5 < across
    assert layout_positions(left + right, edges) == positions


def test_layout_positions_packs_isolated_nodes_beneath_the_largest_component():
    core = [f"c{i:02d}" for i in range(20)]
    edges = [(core[i], core[(i + 1) % 20]) for i in range(20)]
    positions = layout_positions(core + ["z1", "z2", "z3"], edges)
    bottom = max(positions[c][1] for c in core)
    assert all(positions[z][1] > bottom for z in ("z1", "z2", "z3"))
    assert len(set(positions.values())) == 23


# --------------------------------------------------------------------------- write_page


def test_write_page_replaces_the_file_atomically(mini, tmp_path):
    target = tmp_path / "exports" / "graph.html"
    target.parent.mkdir()
    target.write_text("old")
    assert write_page(mini, target) == target
    assert target.read_text(encoding="utf-8") == render_page(mini)
    assert [p.name for p in target.parent.iterdir()] == ["graph.html"]  # no temporary file left
    assert target.stat().st_mode & 0o777 == 0o644


def test_write_page_passes_options(mini, tmp_path):
    target = write_page(mini, tmp_path / "g.html", title="Essai", layout_threshold=1)
    text = target.read_text(encoding="utf-8")
    assert "<title>Essai</title>" in text
    assert json.loads(data_block(text))["layout"]["fixed"] is True


def test_write_page_reports_an_unwritable_path(mini, tmp_path):
    blocker = tmp_path / "fichier"
    blocker.write_text("")
    with pytest.raises(OutputError, match=r"^cannot write the page to .*fichier/graph\.html: "):
        write_page(mini, blocker / "graph.html")
