"""The build cache without a model: keys, fingerprints, entries, corrupt files, manifests."""
from __future__ import annotations

import dataclasses
import pickle
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from kg.cache import (
    PACKAGE_DIR,
    BuildCache,
    default_cache_dir,
    docs_key,
    extraction_fingerprint,
    facts_key,
    model_fingerprint,
    module_closure,
    pipeline_fingerprint,
)
from kg.corpus import segment
from kg.extract import ArticleFacts, RawEvent
from kg.mentions import Mention
from kg.model import Article, DateValue, Quantity

TEXT = (
    "Rencontre au sommet\n\n"
    "Le ministre a reçu son homologue à Minsk mardi.\n"
    "Les deux pays ont signé un accord de coopération.\n"
)


def article(text: str = TEXT, **changes) -> Article:
    made = Article(id="dépêche", files=("dépêche.txt",), text=text, segments=segment(text))
    return dataclasses.replace(made, **changes)


def facts_of(item: Article) -> ArticleFacts:
    mention = Mention(idx=0, kind="name", cls="State", surface="Biélorussie", start=5, end=16, sent=0, key="bielorussie")
    event = RawEvent(cls="Agreement", roles={"party": [0]}, sent=1, paragraph=1, start=0, end=10, text="un accord",
                     trigger="accord", trigger_start=3, trigger_end=9, quantity=Quantity(Decimal("12.5")),
                     date=DateValue("2024-06", "gYearMonth"))
    return ArticleFacts(item.id, [mention], [event])


@pytest.fixture
def cache(tmp_path) -> BuildCache:
    return BuildCache(tmp_path / "cache", pipeline="pipeline-1", extraction="extraction-1")


# ---------------------------------------------------------------------------------- where


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"XDG_CACHE_HOME": "/var/cache/moi"}, Path("/var/cache/moi/kg")),
        ({"XDG_CACHE_HOME": ""}, Path.home() / ".cache" / "kg"),
        ({}, Path.home() / ".cache" / "kg"),
    ],
)
def test_cache_default_dir_follows_xdg(environ, expected):
    assert default_cache_dir(environ) == expected


# ---------------------------------------------------------------------------------- keys


def test_cache_docs_key_is_stable_and_depends_on_pipeline_and_body():
    key = docs_key(article(), "p")
    assert key == docs_key(article(), "p")
    assert key != docs_key(article(), "q")
    assert key != docs_key(article(TEXT.replace("mardi", "jeudi")), "p")


def test_cache_docs_key_includes_segment_offsets():
    moved = article("\n" + TEXT)  # same segment texts, shifted by one character
    assert [moved.text[s.start:s.end] for s in moved.body()] == [TEXT[s.start:s.end] for s in article().body()]
    assert docs_key(moved, "p") != docs_key(article(), "p")


def test_cache_docs_key_ignores_metadata_but_facts_key_does_not():
    dated = article(date=date(2024, 6, 19))
    assert docs_key(dated, "p") == docs_key(article(), "p")
    assert facts_key(dated, "p", "e") != facts_key(article(), "p", "e")
    assert facts_key(article(), "p", "e") != facts_key(article(), "p", "f")
    assert facts_key(article(id="autre"), "p", "e") != facts_key(article(), "p", "e")


def test_cache_extraction_modules_are_what_extract_imports():
    closure = {p.name for p in module_closure(PACKAGE_DIR / "extract.py")}
    assert {"extract.py", "mentions.py", "syntax.py", "lexicon.py", "gazetteer.py", "model.py"} <= closure
    assert not {"nlp.py", "resolve.py", "rdf.py", "build.py", "cli.py"} & closure
    # every kg module really imported with kg.extract is covered by the fingerprint
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, kg.extract; print(' '.join(m for m in sys.modules if m.startswith('kg.')))"],
        capture_output=True, text=True, check=True,
    ).stdout.split()
    assert {name.split(".")[1] + ".py" for name in loaded} <= closure


def test_cache_extraction_fingerprint_covers_lexicon(tmp_path, monkeypatch):
    import kg.cache

    before = extraction_fingerprint()
    package = tmp_path / "kg"
    for path in module_closure(PACKAGE_DIR / "extract.py"):
        (package / path.relative_to(PACKAGE_DIR)).parent.mkdir(parents=True, exist_ok=True)
        (package / path.relative_to(PACKAGE_DIR)).write_bytes(path.read_bytes())
    (package / "data").mkdir()
    for path in (PACKAGE_DIR / "data").glob("*.toml"):
        (package / "data" / path.name).write_bytes(path.read_bytes())
    monkeypatch.setattr(kg.cache, "PACKAGE_DIR", package)
    kg.cache.extraction_fingerprint.cache_clear()
    try:
        same = kg.cache.extraction_fingerprint.__wrapped__()
        with open(package / "data" / "lexicon.toml", "a", encoding="utf-8") as handle:
            handle.write("\n# un commentaire\n")
        changed = kg.cache.extraction_fingerprint.__wrapped__()
    finally:
        kg.cache.extraction_fingerprint.cache_clear()
    assert same == before
    assert changed != before


def test_cache_model_fingerprint_of_a_missing_model_is_not_an_error():
    assert model_fingerprint("pas_de_modele_ici") != model_fingerprint("fr_core_news_md")
    assert model_fingerprint("/nowhere/model") == model_fingerprint("/nowhere/model")


def test_cache_pipeline_fingerprint_needs_no_spacy_import():
    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, kg.cache as c; c.pipeline_fingerprint('fr_core_news_md');"
                               " c.package_fingerprint(); print('spacy' in sys.modules)"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    assert loaded == "False"
    assert pipeline_fingerprint("fr_core_news_md") != pipeline_fingerprint("fr_core_news_sm")


# ---------------------------------------------------------------------------------- facts


def test_cache_facts_round_trip_counts_hits_and_misses(cache):
    item = article()
    assert cache.get_facts(item) is None
    cache.put_facts(item, facts_of(item))
    assert cache.get_facts(item) == facts_of(item)
    assert (cache.facts_hits, cache.facts_misses) == (1, 1)
    other = BuildCache(cache.root, pipeline="pipeline-1", extraction="extraction-2")
    assert other.get_facts(item) is None  # another extractor: a miss


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: b"",  # empty
        lambda data: b"\x00garbage" * 10,  # not a pickle
        lambda data: pickle.dumps({"article": "dépêche"}),  # a pickle of something else
        lambda data: pickle.dumps(ArticleFacts("autre")),  # facts of another article
    ],
)
def test_cache_corrupt_facts_entry_is_a_miss(cache, damage):
    item = article()
    cache.put_facts(item, facts_of(item))
    path = cache.facts_path(item)
    path.write_bytes(damage(path.read_bytes()))
    assert cache.get_facts(item) is None
    assert (cache.facts_hits, cache.facts_misses) == (0, 1)


def test_cache_entries_are_written_atomically(cache):
    item = article()
    cache.put_facts(item, facts_of(item))
    files = sorted(p.name for p in cache.facts_path(item).parent.iterdir())
    assert files == [cache.facts_path(item).name]  # no temporary file left behind
    assert cache.facts_path(item).parent.parent == cache.root / "v1" / "facts"


def test_cache_unwritable_folder_is_a_problem_not_an_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("pas un dossier")
    cache = BuildCache(blocker, pipeline="p", extraction="e")
    item = article()
    cache.put_facts(item, facts_of(item))
    cache.put_facts(item, facts_of(item))
    assert cache.problem == f"cannot write the cache in {blocker}: Not a directory — building without it"
    assert cache.writable is False
    assert cache.get_facts(item) is None


# ---------------------------------------------------------------------------------- docs


@pytest.fixture(scope="module")
def vocab():
    spacy = pytest.importorskip("spacy")
    return spacy.blank("fr").vocab


def test_cache_docs_round_trip_keeps_annotations(cache, vocab):
    from spacy.tokens import Doc

    item = article()
    docs = []
    for s in item.body():
        words = item.text[s.start:s.end].rstrip(".").split(" ") + ["."]
        doc = Doc(vocab, words=words, spaces=[True] * (len(words) - 2) + [False, False],
                  sent_starts=[True] + [False] * (len(words) - 1),
                  lemmas=[w.lower() for w in words], pos=["NOUN"] * len(words), morphs=["Number=Sing"] * len(words))
        docs.append(doc)
    cache.put_docs(item, docs)
    back = cache.get_docs(item, vocab)
    assert [d.text for d in back] == [item.text[s.start:s.end] for s in item.body()]
    assert [[(t.lemma_, t.pos_, str(t.morph), t.is_sent_start) for t in d] for d in back] == \
        [[(t.lemma_, t.pos_, str(t.morph), t.is_sent_start) for t in d] for d in docs]
    assert (cache.docs_hits, cache.docs_misses) == (1, 0)


@pytest.mark.parametrize("damage", [lambda data: data[:20], lambda data: b"\x78\x9cnot zlib", lambda data: b""])
def test_cache_corrupt_docs_entry_is_a_miss(cache, vocab, damage):
    from spacy.tokens import Doc

    item = article()
    cache.put_docs(item, [Doc(vocab, words=item.text[s.start:s.end].split(" ")) for s in item.body()])
    path = cache.docs_path(item)
    path.write_bytes(damage(path.read_bytes()))
    assert cache.get_docs(item, vocab) is None
    assert (cache.docs_hits, cache.docs_misses) == (0, 1)


def test_cache_docs_of_other_text_are_a_miss(cache, vocab):
    from spacy.tokens import Doc

    item = article()
    cache.put_docs(item, [Doc(vocab, words=["autre", "chose"])] * len(item.body()))
    assert cache.get_docs(item, vocab) is None


# ---------------------------------------------------------------------------------- manifests


def test_cache_manifest_round_trip_is_deterministic(cache, tmp_path):
    manifest = {"outputs": {"graph.ttl": "ab"}, "inputs": {"options": {"formats": ["ttl"]}}}
    cache.write_manifest(tmp_path / "out", manifest)
    first = cache.manifest_path(tmp_path / "out").read_bytes()
    cache.write_manifest(tmp_path / "out", dict(reversed(manifest.items())))
    assert cache.manifest_path(tmp_path / "out").read_bytes() == first
    assert cache.read_manifest(tmp_path / "out") == manifest
    assert cache.read_manifest(tmp_path / "elsewhere") is None


@pytest.mark.parametrize("content", [b"{not json", b"[1, 2]", b"\xff\xfe"])
def test_cache_corrupt_manifest_is_none(cache, tmp_path, content):
    path = cache.manifest_path(tmp_path / "out")
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    assert cache.read_manifest(tmp_path / "out") is None


def test_cache_docbin_bytes_are_spacy_s_own_docbin_bytes():
    """kg writes the parse cache with its own faster DocBin writer: the bytes must be spaCy's."""
    from spacy.tokens import DocBin

    from kg.cache import docbin_bytes
    from kg.nlp import load_pipeline

    nlp = load_pipeline("fr_core_news_md")
    texts = [
        "Selon Séoul, Pyongyang aurait expédié des obus à Moscou en mars.",
        "Vladimir Poutine a rencontré Kim Jong-un au cosmodrome de Vostotchny.",
        "",
        "« Aucun accord n'a été signé », a déclaré le porte-parole du Kremlin, Dmitri Peskov.",
    ]
    docs = list(nlp.pipe(texts))
    assert [e.ent_id_ for e in docs[1].ents if e.ent_id_]  # gazetteer ids are among the strings
    docs[0].spans["kg_test"] = [docs[0][0:2]]  # and span groups, should a component keep one
    assert docbin_bytes(docs) == DocBin(docs=docs).to_bytes()
    assert docbin_bytes(docs[:1]) == DocBin(docs=docs[:1]).to_bytes()
    assert docbin_bytes([]) == DocBin(docs=[]).to_bytes()
