"""The build cache: parsed docs and per-article facts, so that no unchanged article is parsed twice.

Layout of the cache folder (`$XDG_CACHE_HOME/kg`, else `~/.cache/kg`; `kg build --cache-dir`)::

    v1/docs/ab/<key>.spacy     the spaCy docs of one article's body segments, as one DocBin
    v1/facts/ab/<key>.pickle   what kg read from them: the article's kg.extract.ArticleFacts
    v1/builds/<key>.json       what the last build into an output folder read and wrote

Keys are content hashes, so an entry is never stale, only unused:
    docs  = pipeline fingerprint (model name and version, spaCy version, kg's pipeline code,
            the gazetteer) + the body segments (offsets and text);
    facts = docs key + the whole article (id, metadata, segments) + a fingerprint of the
            extraction code and data (every kg module kg.extract imports, kg/data/*.toml).
A changed model, gazetteer, lexicon or extractor therefore misses and re-reads; deleting the
folder is always safe. Entries are written atomically (temporary file, then rename); an
unreadable or corrupt entry is a miss, never an error. The facts are pickled: the cache
folder is trusted like the rest of your home folder.

No fingerprint here loads spaCy: a warm build decides what it needs before loading a model.
"""
from __future__ import annotations

import ast
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import pickle
import sys
import threading
import zlib
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Sequence

from kg.model import Article

CACHE_LAYOUT = "v1"  # bump when what an entry holds changes shape
PACKAGE_DIR = Path(__file__).resolve().parent
# Versions of the libraries whose output lands in the exports (for the up-to-date check).
EXPORT_LIBRARIES = ("rdflib", "numpy", "spacy")


def default_cache_dir(environ: dict[str, str] | None = None) -> Path:
    """`$XDG_CACHE_HOME/kg`, or `~/.cache/kg` when the variable is unset or empty."""
    environ = os.environ if environ is None else environ
    base = environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kg"


# ---------------------------------------------------------------------------------- fingerprints


def digest(*parts: bytes | str) -> str:
    """sha256 of the parts, each length-prefixed so that no two sequences collide."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()


def files_fingerprint(paths: Iterable[Path], root: Path | None = None) -> str:
    """Hash of the files' names (relative to `root`, default the kg package) and contents, in name order."""
    root = root or PACKAGE_DIR
    parts: list[bytes | str] = []
    for path in sorted(set(paths), key=lambda p: p.relative_to(root).as_posix()):
        parts += [path.relative_to(root).as_posix(), path.read_bytes()]
    return digest(*parts)


def kg_imports(module: Path, package_dir: Path | None = None) -> set[Path]:
    """The kg modules `module` imports anywhere in its code (lazy imports included)."""
    package_dir = package_dir or PACKAGE_DIR
    tree = ast.parse(module.read_bytes(), filename=str(module))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative import inside the kg package
                base = "kg." + node.module if node.module else "kg"
            else:
                base = node.module or ""
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    found = set()
    for name in names:
        if name.startswith("kg."):
            candidate = package_dir.joinpath(*name.split(".")[1:]).with_suffix(".py")
            if candidate.is_file():
                found.add(candidate)
    return found


def module_closure(entry: Path, package_dir: Path | None = None) -> list[Path]:
    """`entry` and every kg module it imports, transitively, sorted."""
    seen, todo = set(), [entry]
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        todo.extend(kg_imports(module, package_dir) - seen)
    return sorted(seen)


@lru_cache(maxsize=1)
def extraction_fingerprint() -> str:
    """What decides the facts read from a parse: kg.extract, every kg module it imports, kg/data."""
    modules = module_closure(PACKAGE_DIR / "extract.py")
    data = sorted((PACKAGE_DIR / "data").glob("*.toml"))
    return files_fingerprint(modules + data)


def model_fingerprint(model: str) -> str:
    """The model's meta.json (name, version, pipeline) and spaCy's version, without importing spaCy."""
    meta = None
    path = Path(model)
    if path.is_dir():
        meta = path / "meta.json"
    elif model.isidentifier():
        try:
            spec = importlib.util.find_spec(model)  # a top-level name: found, not imported
        except (ImportError, ValueError):
            spec = None
        if spec is not None and spec.submodule_search_locations:
            meta = Path(list(spec.submodule_search_locations)[0]) / "meta.json"
    try:
        meta_bytes = meta.read_bytes() if meta is not None else b""
    except OSError:
        meta_bytes = b""
    return digest(model, meta_bytes, library_version("spacy"))


@lru_cache(maxsize=8)
def pipeline_fingerprint(model: str) -> str:
    """What decides a parse: the model, spaCy, kg's pipeline code (kg/nlp.py) and the gazetteer.

    A superset of kg.nlp.pipeline_fingerprint's inputs that needs no loaded pipeline: the
    model's meta.json holds its name, version and components; kg/nlp.py holds kg's components
    and PIPELINE_REVISION; the entity ruler's patterns come from the gazetteer's code and data.
    """
    sources = [PACKAGE_DIR / "nlp.py", PACKAGE_DIR / "gazetteer.py", PACKAGE_DIR / "data" / "gazetteer.toml"]
    return digest(CACHE_LAYOUT, model_fingerprint(model), files_fingerprint(sources))


@lru_cache(maxsize=1)
def package_fingerprint() -> str:
    """Every file of the kg package and the versions of the libraries that shape the exports."""
    files = [
        p for p in PACKAGE_DIR.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo")
    ]
    versions = [f"{name}={library_version(name)}" for name in EXPORT_LIBRARIES]
    return digest(files_fingerprint(files), *versions, sys.version.split()[0])


def library_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return ""


def article_record(article: Article) -> str:
    """Every field of the article as canonical JSON (what the facts of an article depend on)."""
    return json.dumps(asdict(article), sort_keys=True, ensure_ascii=False, default=str)


def docs_key(article: Article, pipeline: str) -> str:
    """The parse of an article: the pipeline and each body segment's offsets and text."""
    parts: list[str] = [pipeline]
    for segment in article.body():
        parts += [f"{segment.start}:{segment.end}", article.text[segment.start:segment.end]]
    return digest(*parts)


def facts_key(article: Article, pipeline: str, extraction: str) -> str:
    return digest(docs_key(article, pipeline), extraction, article_record(article))


def corpus_fingerprint(articles: Sequence[Article]) -> str:
    """Hash of every article, in corpus order: the input side of the up-to-date check."""
    return digest(*(article_record(a) for a in articles))


def file_sha256(path: Path) -> str | None:
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


# ---------------------------------------------------------------------------------- docs as bytes


def docbin_bytes(docs: Sequence) -> bytes:
    """`DocBin(docs=docs).to_bytes()`, the same bytes at a fraction of the cost.

    DocBin.add reads nine strings of every token through a Token object: they are the
    distinct values of its string columns, looked up once each here. And srsly's msgpack
    scans the installed packages' entry points for every message it packs: one Packer
    serves every write here.
    """
    import numpy
    from spacy.attrs import MORPH, SPACY

    attrs, string_columns = docbin_layout()
    morph = attrs.index(MORPH)
    tokens, spaces, flags, cats, span_groups, strings = [], [], [], [], [], set()
    by_vocab: dict[int, tuple[Any, list]] = {}  # the docs' token arrays by vocab (one, in practice)
    for doc in docs:
        array = doc.to_array(attrs).reshape((len(doc), len(attrs)))
        tokens.append(array)
        spaces.append(numpy.asarray(doc.to_array(SPACY).reshape((len(doc), 1)), dtype=bool))
        flags.append({"has_unknown_spaces": doc.has_unknown_spaces})
        by_vocab.setdefault(id(doc.vocab), (doc.vocab, []))[1].append(array)
        store = doc.vocab.strings
        cats.append(doc.cats)
        span_groups.append(doc.spans.to_bytes())
        for group in doc.spans.values():
            for span in group:
                strings.add(span.label_)
                if span.kb_id in store:
                    strings.add(span.kb_id_)
                if span.id in store:
                    strings.add(span.id_)
    for vocab, arrays in by_vocab.values():
        every = numpy.concatenate(arrays)
        store = vocab.strings
        strings.update(store[key] for key in numpy.unique(every[:, string_columns]).tolist())
        empty_morph = vocab.morphology.EMPTY_MORPH  # str(token.morph) writes it as ""
        morphs = numpy.unique(every[:, morph]).tolist()
        strings.update("" if store[key] == empty_morph else store[key] for key in morphs)
    message = {  # DocBin.to_bytes's message, key for key
        "version": DOCBIN_VERSION,
        "attrs": attrs,
        "tokens": (numpy.vstack(tokens) if tokens else numpy.asarray([])).tobytes("C"),
        "spaces": (numpy.vstack(spaces) if spaces else numpy.asarray([])).tobytes("C"),
        "lengths": numpy.asarray([len(t) for t in tokens], dtype="int32").tobytes("C"),
        "strings": sorted(strings),
        "cats": cats,
        "flags": flags,
        "span_groups": span_groups,
    }
    return zlib.compress(msgpack_packer().pack(message))


DOCBIN_VERSION = "0.1"


@lru_cache(maxsize=1)
def docbin_layout() -> tuple[list[int], list[int]]:
    """A default DocBin's attributes, and the columns among them holding strings (all but MORPH's)."""
    from spacy.attrs import DEP, ENT_ID, ENT_KB_ID, ENT_TYPE, LEMMA, NORM, ORTH, TAG
    from spacy.tokens import DocBin

    attrs = DocBin().attrs
    kinds = (ORTH, NORM, TAG, DEP, ENT_TYPE, ENT_KB_ID, ENT_ID, LEMMA)
    return attrs, [k for k, attr in enumerate(attrs) if attr in kinds]


PACKERS = threading.local()  # a Packer packs one message at a time: one per thread


def msgpack_packer():
    """srsly's Packer, as srsly.msgpack_dumps makes it (with its numpy encoder), made once per thread."""
    packer = getattr(PACKERS, "packer", None)
    if packer is None:
        from srsly import msgpack

        packer = PACKERS.packer = msgpack.Packer(use_bin_type=True)
    return packer


# ---------------------------------------------------------------------------------- the cache


class BuildCache:
    """Docs and facts of articles, stored under `root`; counts its hits and misses.

    Problems never stop a build: the first is kept in `problem` (the build warns with it); after
    a failed write (a full disk, a read-only folder) the cache stops writing.
    """

    def __init__(self, root: Path, *, pipeline: str, extraction: str):
        self.root = Path(root)
        self.base = self.root / CACHE_LAYOUT
        self.pipeline = pipeline
        self.extraction = extraction
        self.docs_hits = self.docs_misses = self.facts_hits = self.facts_misses = 0
        self.problem: str | None = None
        self.writable = True
        # an article's keys, asked for when looked up and again when stored: {id: (article, docs, facts)}
        self._keys: dict[int, tuple[Article, str, str]] = {}

    @classmethod
    def for_model(cls, root: Path, model: str) -> BuildCache:
        return cls(root, pipeline=pipeline_fingerprint(model), extraction=extraction_fingerprint())

    # -- paths ----------------------------------------------------------------------------
    def docs_path(self, article: Article) -> Path:
        key = self.keys(article)[0]
        return self.base / "docs" / key[:2] / f"{key}.spacy"

    def facts_path(self, article: Article) -> Path:
        key = self.keys(article)[1]
        return self.base / "facts" / key[:2] / f"{key}.pickle"

    def keys(self, article: Article) -> tuple[str, str]:
        """(docs key, facts key) of an article, computed once per article object."""
        known = self._keys.get(id(article))
        if known is None or known[0] is not article:
            known = (article, docs_key(article, self.pipeline), facts_key(article, self.pipeline, self.extraction))
            self._keys[id(article)] = known
        return known[1], known[2]

    def manifest_path(self, out_dir: Path) -> Path:
        key = digest(str(Path(out_dir).resolve()))
        return self.base / "builds" / f"{key[:32]}.json"

    # -- facts ----------------------------------------------------------------------------
    def get_facts(self, article: Article):
        """The article's cached ArticleFacts, or None (absent, unreadable or not what was asked)."""
        from kg.extract import ArticleFacts

        facts = None
        data = self._read(self.facts_path(article))
        if data is not None:
            try:
                facts = pickle.loads(data)
            except Exception:  # a corrupt or foreign entry is a miss, whatever it raises
                facts = None
        if not isinstance(facts, ArticleFacts) or facts.article != article.id:
            self.facts_misses += 1
            return None
        self.facts_hits += 1
        return facts

    def put_facts(self, article: Article, facts) -> None:
        self._write(self.facts_path(article), pickle.dumps(facts, protocol=pickle.HIGHEST_PROTOCOL))

    # -- docs -----------------------------------------------------------------------------
    def get_docs(self, article: Article, vocab) -> list | None:
        """The docs of the article's body segments, restored with `vocab`, or None."""
        from spacy.tokens import DocBin

        docs = None
        data = self._read(self.docs_path(article))
        if data is not None:
            try:
                docs = list(DocBin().from_bytes(data).get_docs(vocab))
            except Exception:  # zlib, msgpack or numpy errors of a damaged file: a miss
                docs = None
        body = article.body()
        if docs is None or len(docs) != len(body) or any(
            doc.text != article.text[s.start:s.end] for doc, s in zip(docs, body)
        ):
            self.docs_misses += 1
            return None
        self.docs_hits += 1
        return docs

    def put_docs(self, article: Article, docs: Sequence) -> None:
        # The default attributes keep all extract.py reads: sentence starts, heads and
        # dependencies, lemma, POS, tag, morphology, entity type, IOB and entity id.
        try:
            data = docbin_bytes(docs)
        except Exception as error:  # a doc spaCy cannot serialise is parsed again next time
            self.problem = self.problem or f"cannot cache the parse of {article.id}: {error}"
            return
        self._write(self.docs_path(article), data)

    # -- build manifests ------------------------------------------------------------------
    def read_manifest(self, out_dir: Path) -> dict[str, Any] | None:
        data = self._read(self.manifest_path(out_dir))
        try:
            manifest = json.loads(data) if data is not None else None
        except ValueError:
            return None
        return manifest if isinstance(manifest, dict) else None

    def write_manifest(self, out_dir: Path, manifest: dict[str, Any]) -> None:
        text = json.dumps(manifest, sort_keys=True, indent=1, ensure_ascii=False) + "\n"
        self._write(self.manifest_path(out_dir), text.encode("utf-8"))

    # -- files ----------------------------------------------------------------------------
    def _read(self, path: Path) -> bytes | None:
        try:
            return path.read_bytes()
        except OSError:
            return None

    def _write(self, path: Path, data: bytes) -> None:
        if not self.writable:
            return
        from kg.formats import replace_file

        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            replace_file(path, data, durable=False)  # a lost cache file is only a miss
        except OSError as error:
            self.writable = False
            self.problem = self.problem or (
                f"cannot write the cache in {self.root}: {error.strerror or error} — building without it"
            )
