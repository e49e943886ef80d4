"""The interactive page in a real browser: Debian's Chromium, headless, driven by Playwright.

Every request that is not a local file is aborted and counted; the page must make none.
Screenshots go to test-artifacts/ at the repository root (git-ignored).
"""
from __future__ import annotations

import os
import random
import re
import time
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, RDFS, Literal, URIRef

from kg.namespace import KGO
from kg.page import write_page

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
MINI = Path(__file__).parent / "data" / "mini.ttl"
E = "https://example.org/kg/entity/"
V = "https://example.org/kg/event/"
G_YEAR_MONTH = URIRef("http://www.w3.org/2001/XMLSchema#gYearMonth")

INJECTED_TTL = """
@prefix kgo: <https://example.org/kg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
<https://example.org/kg/article/x1> a kgo:Article ;
    dcterms:identifier "x1" ;
    dcterms:title "Piège <img src=x onerror=alert(1)> <script>alert(2)</script>" .
<https://example.org/kg/entity/bielorussie> a kgo:State ;
    rdfs:label "Biélorussie <b>gras</b>"@fr ;
    owl:sameAs <javascript:alert(3)> ;
    kgo:mentionedIn <https://example.org/kg/article/x1> .
<https://example.org/kg/entity/ukraine> a kgo:State ; rdfs:label "Ukraine"@fr .
<https://example.org/kg/event/meeting-x> a kgo:Meeting ;
    rdfs:label "Rencontre <img src=x onerror=alert(4)>"@fr ;
    kgo:participant <https://example.org/kg/entity/bielorussie>, <https://example.org/kg/entity/ukraine> ;
    kgo:evidence <https://example.org/kg/evidence/x-1> .
<https://example.org/kg/evidence/x-1> a kgo:Evidence ;
    kgo:article <https://example.org/kg/article/x1> ;
    kgo:text "Les délégués <img src=x onerror=alert(5)> se sont rencontrés à Minsk </script><script>alert(6)</script>."@fr ;
    kgo:start 0 ;
    kgo:trigger "rencontrés"@fr ;
    kgo:triggerStart 50 ;
    kgo:triggerEnd 60 ;
    kgo:factuality kgo:Asserted .
"""


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("/usr/bin/chromium is missing: CI must install Debian's chromium package")
        pytest.skip("/usr/bin/chromium is missing: install it with `apt-get install chromium` to run the browser tests")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Session:
    """One page with every outside request aborted and counted, console errors and dialogs kept."""

    def __init__(self, browser, path: Path, timeout_ms: int = 20_000):
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 860})
        self.page.route("**/*", self._route)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        started = time.perf_counter()
        self.page.goto(path.as_uri())
        self.page.wait_for_function("window.kgReady === true", timeout=timeout_ms)
        self.ready_seconds = time.perf_counter() - started

    def _route(self, route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.requests.append(route.request.url)
            route.abort()

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def stats(self) -> dict:
        return self.page.evaluate("window.kgStats")

    def shown_nodes(self) -> int:
        return self.page.evaluate("kgNetwork.body.data.nodes.get({filter: n => !n.hidden}).length")

    def selected(self) -> list[str]:
        return self.page.evaluate("kgNetwork.getSelectedNodes()")

    def node_point(self, node_id: str) -> dict:
        """Where vis-network draws the node, in page pixels."""
        return self.page.evaluate(
            """(id) => {
                const p = kgNetwork.canvasToDOM(kgNetwork.getPositions([id])[id]);
                const box = document.querySelector('#graph canvas').getBoundingClientRect();
                return {x: box.left + p.x, y: box.top + p.y};
            }""",
            node_id,
        )

    def click_node(self, node_id: str) -> None:
        """A real mouse click on the node."""
        point = self.node_point(node_id)
        self.page.mouse.click(point["x"], point["y"])
        self.page.wait_for_function("(id) => document.getElementById('panel').dataset.node === id", arg=node_id)

    def panel_text(self) -> str:
        return self.page.inner_text("#panel")

    def close(self) -> None:
        self.page.close()


@pytest.fixture(scope="module")
def mini_page(tmp_path_factory):
    return write_page(rdflib.Graph().parse(MINI), tmp_path_factory.mktemp("page") / "mini.html")


@pytest.fixture
def session(browser, mini_page):
    opened = Session(browser, mini_page)
    yield opened
    opened.close()


def spaces(text: str) -> str:
    """French number formatting uses narrow no-break spaces; compare with plain ones."""
    return re.sub(r"[\u00a0\u202f]", " ", text)


def test_page_browser_draws_every_node_without_network_or_errors(session):
    assert session.stats() == {"nodes": 12, "edges": 13}
    assert session.shown_nodes() == 12
    assert session.requests == []
    assert session.errors == []
    # physics has stabilised and stopped: nothing moves any more
    before = session.page.evaluate("kgNetwork.getPositions()")
    session.page.wait_for_timeout(400)
    assert session.page.evaluate("kgNetwork.getPositions()") == before
    assert session.page.inner_text("#stats") == "12 nœuds · 13 liens affichés"


def test_page_browser_click_on_event_shows_its_evidence(session):
    session.click_node(V + "armstransfer-4e5f6a7b")
    assert session.selected() == [V + "armstransfer-4e5f6a7b"]
    page = session.page
    assert page.inner_text("#panel h3") == "Corée du Nord → Russie : obus de 152 mm"
    quotes = page.locator("#panel .evidence blockquote")
    assert quotes.all_inner_texts() == [
        "Pyongyang a expédié un million d'obus à Moscou.",
        "La Corée du Nord aurait livré près de 12 millions d'obus de 152 mm à la Russie, selon les services de renseignement sud-coréens.",
    ]
    assert page.locator("#panel .evidence mark").all_inner_texts() == ["expédié", "livré"]
    assert page.locator("#panel .evidence .badge").all_inner_texts() == ["Affirmé", "Rapporté"]
    text = spaces(session.panel_text())
    assert "Sources en désaccord" in text
    assert "Fournisseur\nCorée du Nord" in text
    assert "Destinataire\nRussie" in text
    assert "Quantité\nenviron 12 000 000" in text
    assert "Quantité selon la source : 1 000 000" in text
    assert "Selon : services de renseignement sud-coréens" in text
    assert "Article a1 — Visite à Wonsan (13 juillet 2025, Exemple Presse)" in text
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "page.png"))
    assert session.errors == []


def test_page_browser_entity_link_in_panel_opens_the_entity(session):
    session.click_node(V + "meeting-0a1b2c3d")
    assert session.page.locator("#panel .evidence mark").all_inner_texts() == ["reçu"]
    session.page.locator("#panel").get_by_role("button", name="Sergueï Lavrov", exact=True).click()
    assert session.page.get_attribute("#panel", "data-node") == E + "sergueï-lavrov"
    text = session.panel_text()
    assert "Fonction\nministre des Affaires étrangères" in text
    assert "Affiliation\nRussie" in text
    assert session.selected() == [E + "sergueï-lavrov"]


@pytest.mark.parametrize(
    ("query", "entity"),
    [
        ("Choigou", "sergueï-choïgou"),
        ("kim", "kim-jong-un"),
        ("KIM JONG UN", "kim-jong-un"),
        ("moscou", "russie"),
        ("coree du nord", "coree-du-nord"),
    ],
)
def test_page_browser_search_selects_the_entity(session, query, entity):
    session.page.fill("#search-input", query)
    session.page.press("#search-input", "Enter")
    assert session.selected() == [E + entity]
    assert session.page.get_attribute("#panel", "data-node") == E + entity


def test_page_browser_search_lists_several_matches(session):
    session.page.fill("#search-input", "serguei")
    session.page.press("#search-input", "Enter")
    results = session.page.locator("#search-results li[data-node]")
    assert results.all_inner_texts() == ["Sergueï Choïgou", "Sergueï Lavrov"]
    assert session.selected() == [E + "sergueï-choïgou"]
    results.nth(1).dispatch_event("mousedown")
    assert session.selected() == [E + "sergueï-lavrov"]
    # the keyboard walks the list too
    session.page.press("#search-input", "ArrowUp")
    session.page.press("#search-input", "Enter")
    assert session.selected() == [E + "sergueï-choïgou"]


def test_page_browser_entity_panel_links_wikidata(session):
    session.page.fill("#search-input", "Russie")
    session.page.press("#search-input", "Enter")
    link = session.page.locator("#panel a")
    assert link.get_attribute("href") == "http://www.wikidata.org/entity/Q159"
    assert session.page.locator("#panel .event-list li").count() == 3


def test_page_browser_class_filter_hides_nodes(session):
    session.page.uncheck("input[data-class=Person]")
    assert session.stats()["nodes"] == 9
    assert session.shown_nodes() == 9
    session.page.check("input[data-class=Person]")
    assert session.stats() == {"nodes": 12, "edges": 13}


def test_page_browser_factuality_filter_keeps_events_with_a_chosen_evidence(session):
    session.page.uncheck("input[data-factuality=Asserted]")
    hidden = session.page.evaluate("kgNetwork.body.data.nodes.get({filter: n => n.hidden}).map(n => n.id)")
    assert hidden == [V + "agreement-2a3b4c5d", V + "meeting-0a1b2c3d"]


def test_page_browser_article_filter(session):
    session.page.click("#articles-none")
    session.page.check("input[data-article=a2]")
    shown = session.page.evaluate("kgNetwork.body.data.nodes.get({filter: n => !n.hidden}).map(n => n.id)")
    assert sorted(shown) == [
        E + "coree-du-nord",
        E + "coree-du-sud",
        E + "russie",
        E + "services-de-renseignement-sud-coréens",
        V + "armstransfer-4e5f6a7b",
        V + "deployment-8c9d0e1f",
    ]
    assert session.page.locator("#timeline button").all_inner_texts() == ["octobre 2024\nCorée du Nord → Russie : obus de 152 mm"]


def test_page_browser_timeline_click_opens_the_event(session):
    session.page.click(f"#timeline button[data-node='{V}agreement-2a3b4c5d']")
    assert session.page.get_attribute("#panel", "data-node") == V + "agreement-2a3b4c5d"
    assert session.selected() == [V + "agreement-2a3b4c5d"]
    assert session.page.locator("#timeline button .when").all_inner_texts() == ["19 juin 2024", "octobre 2024", "12 juillet 2025"]


def test_page_browser_injected_markup_stays_inert(browser, tmp_path):
    path = write_page(rdflib.Graph().parse(data=INJECTED_TTL, format="turtle"), tmp_path / "injected.html")
    session = Session(browser, path)
    try:
        page = session.page
        point = session.node_point(V + "meeting-x")
        page.mouse.move(point["x"], point["y"])
        tooltip = page.locator("#graph .vis-tooltip")
        tooltip.wait_for(state="visible")
        assert tooltip.inner_text() == "Rencontre\nRencontre <img src=x onerror=alert(4)>"
        session.click_node(V + "meeting-x")
        page.wait_for_timeout(300)  # time for any onerror to fire, if an <img> had been made
        quote = page.inner_text("#panel .evidence blockquote")
        assert quote == "Les délégués <img src=x onerror=alert(5)> se sont rencontrés à Minsk </script><script>alert(6)</script>."
        assert page.inner_text("#panel .evidence mark") == "rencontrés"
        assert page.inner_text("#panel h3") == "Rencontre <img src=x onerror=alert(4)>"
        assert "Article x1 — Piège <img src=x onerror=alert(1)> <script>alert(2)</script>" in session.panel_text()
        assert page.inner_text("label:has(input[data-article=x1])") == "x1 — Piège <img src=x onerror=alert(1)> <script>alert(2)</script>"
        page.locator("#panel").get_by_role("button", name="Biélorussie <b>gras</b>", exact=True).click()
        assert page.locator("#panel a").count() == 0  # javascript: is not a Wikidata entity
        assert page.evaluate("document.querySelectorAll('img, b, iframe, object, embed').length") == 0
        assert page.evaluate("document.scripts.length") == 3  # data, vis-network, the page's own
        assert session.dialogs == []
        assert session.requests == []
        assert session.errors == []
    finally:
        session.close()


def big_graph(entities: int = 2000, events: int = 3000) -> rdflib.Graph:
    """A 5 000-node graph in the contract's shape: entities of every class, one transfer per event."""
    rnd = random.Random(0)
    graph = rdflib.Graph()
    article = URIRef("https://example.org/kg/article/grand")
    graph.add((article, RDF.type, KGO.Article))
    classes = ["Person", "State", "Organization", "Place"]
    nodes = [URIRef(f"{E}e{i:05d}") for i in range(entities)]
    for i, node in enumerate(nodes):
        graph.add((node, RDF.type, KGO[classes[i % 4]]))
        graph.add((node, RDFS.label, Literal(f"Entité {i}", lang="fr")))
    for j in range(events):
        event, evidence = URIRef(f"{V}t{j:05d}"), URIRef(f"https://example.org/kg/evidence/t{j:05d}-1")
        supplier, recipient = rnd.sample(nodes, 2)
        graph.add((event, RDF.type, KGO.ArmsTransfer))
        graph.add((event, RDFS.label, Literal(f"Transfert {j}", lang="fr")))
        graph.add((event, KGO.supplier, supplier))
        graph.add((event, KGO.recipient, recipient))
        graph.add((event, KGO.date, Literal(f"{2010 + j % 15}-{1 + j % 12:02d}", datatype=G_YEAR_MONTH)))
        graph.add((event, KGO.evidence, evidence))
        graph.add((evidence, RDF.type, KGO.Evidence))
        graph.add((evidence, KGO.article, article))
        graph.add((evidence, KGO.text, Literal(f"Le pays {j} a livré des obus.", lang="fr")))
        graph.add((evidence, KGO.factuality, KGO.Asserted))
    return graph


def test_page_browser_large_graph_is_ready_within_seconds(browser, tmp_path):
    graph = big_graph()
    started = time.perf_counter()
    path = write_page(graph, tmp_path / "big.html")
    render_seconds = time.perf_counter() - started
    session = Session(browser, path, timeout_ms=30_000)
    try:
        print(f"\n5 000 nodes: page written in {render_seconds:.1f} s, ready in the browser in {session.ready_seconds:.1f} s")
        assert session.ready_seconds < 10
        assert session.stats() == {"nodes": 5000, "edges": 6000}
        assert session.page.evaluate("kgNetwork.physics.physicsEnabled") is False
        assert session.requests == []
        assert session.errors == []
        ARTIFACTS.mkdir(exist_ok=True)
        session.page.screenshot(path=str(ARTIFACTS / "page-5000.png"))
    finally:
        session.close()


def test_page_browser_empty_graph_says_so(browser, tmp_path):
    session = Session(browser, write_page(rdflib.Graph(), tmp_path / "empty.html"))
    try:
        assert session.stats() == {"nodes": 0, "edges": 0}
        assert session.page.inner_text("#graph-message") == "Ce graphe ne contient aucune entité ni aucun évènement."
        assert session.page.inner_text("#timeline") == "Aucun évènement daté parmi ceux affichés."
        assert session.errors == []
    finally:
        session.close()
