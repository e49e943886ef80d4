"""The gazetteer: kg's knowledge of named actors, kept as data in kg/data/gazetteer.toml.

Each `[[entity]]` table has a `key` (ASCII slug of the label), a `class` (one of
`kg.model.ENTITY_CLASSES`), a French `label`, and optional fields: `aliases`,
`ambiguous_aliases` (a bare name shared by several entries, resolved from context),
`wikidata` (a checked Q-id), `role` and `affiliation` (Person), `kind` and
`affiliation` (Organization), `capital`, `seats` and `demonyms` (State), `capital_of`
and `in` (Place). The file is validated when loaded; any problem raises
`GazetteerError` naming the file, the entry and what is wrong.

Lookups go through `normalize`, so case, accents, hyphens, typographic apostrophes and
a leading French article do not matter. `Gazetteer.ruler_patterns` turns every name into
spaCy EntityRuler token patterns built from the French tokenizer's own output.
"""
from __future__ import annotations

import functools
import json
import re
import tomllib
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from kg.errors import KgError
from kg.model import ENTITY_CLASSES

DEFAULT_PATH = Path(__file__).parent / "data" / "gazetteer.toml"

ORGANIZATION_KINDS = (
    "media", "agency", "intelligence", "ministry", "alliance", "international",
    "company", "military", "government", "party", "parliament",
)

# TOML field -> (GazetteerEntry attribute, value type, classes allowed to carry it).
_FIELDS: dict[str, tuple[str, type, tuple[str, ...]]] = {
    "key": ("key", str, ENTITY_CLASSES),
    "class": ("cls", str, ENTITY_CLASSES),
    "label": ("label", str, ENTITY_CLASSES),
    "aliases": ("aliases", list, ENTITY_CLASSES),
    "ambiguous_aliases": ("ambiguous_aliases", list, ENTITY_CLASSES),
    "wikidata": ("wikidata", str, ENTITY_CLASSES),
    "role": ("role", str, ("Person",)),
    "affiliation": ("affiliation", str, ("Person", "Organization")),
    "kind": ("kind", str, ("Organization",)),
    "capital": ("capital", str, ("State",)),
    "seats": ("seats", list, ("State",)),
    "demonyms": ("demonyms", list, ("State",)),
    "capital_of": ("capital_of", str, ("Place",)),
    "in": ("located_in", str, ("Place",)),
}
_REQUIRED = ("key", "class", "label")

_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "´": "'"})
_SEPARATORS_RE = re.compile(r"[\s\-‐‑‒–—―−]+")
_LEADING_ARTICLE_RE = re.compile(r"^(?:(?:le|la|les) |l')")
_WIKIDATA_RE = re.compile(r"Q[1-9]\d*")
# Hyphen-like tokens the French tokenizer splits off inside names ("Kim Jong-un").
_HYPHEN_TOKENS = ["-", "‐", "‑", "–"]
_OPTIONAL_HYPHEN = {"ORTH": {"IN": _HYPHEN_TOKENS}, "OP": "?"}


class GazetteerError(KgError):
    """The gazetteer file is missing, unreadable or inconsistent, or a key is unknown."""

    exit_code = 2


@dataclass(frozen=True)
class GazetteerEntry:
    key: str
    cls: str
    label: str
    aliases: tuple[str, ...] = ()
    ambiguous_aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    role: str | None = None
    affiliation: str | None = None
    capital: str | None = None
    capital_of: str | None = None
    seats: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    located_in: str | None = None
    kind: str | None = None

    def names(self) -> tuple[str, ...]:
        """The label then the aliases; ambiguous aliases name nobody on their own."""
        return (self.label, *self.aliases)


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@functools.lru_cache(maxsize=65536)  # called for every word of every article
def normalize(text: str) -> str:
    """The lookup form of a name: no accents, lower case, ASCII apostrophes, separators as
    single spaces, no leading French article. "Kim Jong-Un" and "kim jong un" are equal."""
    folded = _strip_accents(text).lower().replace("œ", "oe").replace("æ", "ae")
    spaced = _SEPARATORS_RE.sub(" ", folded.translate(_APOSTROPHES)).strip()
    return _LEADING_ARTICLE_RE.sub("", spaced).strip()


def slugify(text: str) -> str:
    """The ASCII key form of a label: "Corée du Nord" -> "coree-du-nord"."""
    folded = _strip_accents(text).lower().replace("œ", "oe").replace("æ", "ae")
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")


class Gazetteer:
    """Validated entries with indexes by normalised name, demonym and seat."""

    def __init__(self, entries: Iterable[GazetteerEntry]):
        by_key = {e.key: e for e in sorted(entries, key=lambda e: e.key)}
        self.entries: Mapping[str, GazetteerEntry] = MappingProxyType(by_key)
        self._by_name: dict[str, list[str]] = {}
        self._by_ambiguous: dict[str, list[str]] = {}
        self._demonyms: dict[str, str] = {}
        self._seats: dict[str, str] = {}
        for entry in by_key.values():
            for name in entry.names():
                _add_once(self._by_name, normalize(name), entry.key)
            for name in entry.ambiguous_aliases:
                _add_once(self._by_ambiguous, normalize(name), entry.key)
            for word in entry.demonyms:
                self._demonyms[normalize(word)] = entry.key
            for seat in entry.seats:
                self._seats[normalize(seat)] = entry.key

    def get(self, key: str) -> GazetteerEntry:
        try:
            return self.entries[key]
        except KeyError:
            raise GazetteerError(f"unknown gazetteer key '{key}'") from None

    def lookup(self, surface: str) -> list[GazetteerEntry]:
        """Entries whose label or alias normalises like `surface`, sorted by key."""
        return [self.entries[k] for k in self._by_name.get(normalize(surface), [])]

    def ambiguous(self, surface: str) -> list[GazetteerEntry]:
        """Entries that declare `surface` as an ambiguous alias, sorted by key."""
        return [self.entries[k] for k in self._by_ambiguous.get(normalize(surface), [])]

    def state_of_demonym(self, word: str) -> str | None:
        return self._demonyms.get(normalize(word))

    def state_of_seat(self, surface: str) -> str | None:
        return self._seats.get(normalize(surface))

    def state_of_capital(self, place_key: str) -> str | None:
        entry = self.entries.get(place_key)
        return entry.capital_of if entry is not None else None

    def state_of_place(self, place_key: str) -> str | None:
        entry = self.entries.get(place_key)
        if entry is None:
            return None
        return entry.located_in or entry.capital_of

    def ruler_patterns(self, tokenizer: Callable[[str], Iterable[Any]] | None = None) -> list[dict]:
        """spaCy EntityRuler patterns, one or more per name, in key then name order.

        Each label and alias gives a pattern with the entry's class and key; each seat of
        a State gives a "State" pattern with the state's key. `tokenizer` (default: the
        blank French tokenizer) splits names exactly as articles will be split.
        """
        tokenize = tokenizer or _default_tokenizer()
        patterns: list[dict] = []
        for entry in self.entries.values():
            named = [(entry.cls, name) for name in entry.names()]
            named += [("State", seat) for seat in entry.seats]
            seen: set[str] = set()
            for cls, name in named:
                for tokens in _name_patterns(name, tokenize):
                    signature = json.dumps([cls, tokens], sort_keys=True, ensure_ascii=False)
                    if signature not in seen:
                        seen.add(signature)
                        patterns.append({"label": cls, "pattern": tokens, "id": entry.key})
        return patterns


def _add_once(index: dict[str, list[str]], name: str, key: str) -> None:
    keys = index.setdefault(name, [])
    if key not in keys:
        keys.append(key)


@functools.lru_cache(maxsize=1)
def _default_tokenizer() -> Callable[[str], Iterable[Any]]:
    import spacy  # imported here: loading the gazetteer alone does not need spaCy

    return spacy.blank("fr").tokenizer


def _token_forms(text: str) -> list[str]:
    """Lower-case spellings a token may take: as written, without accents, either apostrophe."""
    lower = text.lower()
    forms = {lower, _strip_accents(lower)}
    forms |= {f.replace("’", "'") for f in forms} | {f.replace("'", "’") for f in forms}
    return sorted(forms)


def _token_spec(text: str) -> dict:
    forms = _token_forms(text)
    return {"LOWER": forms[0]} if len(forms) == 1 else {"LOWER": {"IN": forms}}


def _single_token_spec(text: str) -> dict:
    # A one-token name has no context to confirm it: "AP", "UE", "Xi" must keep their case,
    # and a capitalised name must not match an all-lower-case word ("les paris").
    if len(text) <= 2:
        forms = sorted({text, _strip_accents(text)})
        return {"ORTH": forms[0]} if len(forms) == 1 else {"ORTH": {"IN": forms}}
    spec = _token_spec(text)
    if text != text.lower():
        spec["IS_LOWER"] = False
    return spec


def _name_patterns(name: str, tokenize: Callable[[str], Iterable[Any]]) -> list[list[dict]]:
    """Token patterns for one name, tolerant of hyphen/space, case, accents and apostrophes.

    The main pattern tokenizes each space- or hyphen-separated word and allows an optional
    hyphen token between words, so "Kim Jong-un" also matches "Kim Jong Un". Where the
    tokenizer keeps a hyphenated compound whole ("États-Unis", "Corée-du-Nord"), the
    whole-token spelling gets a pattern of its own.
    """
    words = [w for w in _SEPARATORS_RE.split(name) if w]
    word_tokens = [[t.text for t in tokenize(w)] for w in words]
    flat = [t for tokens in word_tokens for t in tokens]
    variants: list[list[str]] = []
    for written in (name.strip(), "-".join(words)):
        tokens = [t.text for t in tokenize(written)]
        kept_whole = any(len(t) > 1 and any(h in t for h in _HYPHEN_TOKENS) for t in tokens)
        if kept_whole and tokens not in variants:
            variants.append(tokens)
    if len(flat) == 1:
        main = [_single_token_spec(flat[0])]
    else:
        main = []
        for i, tokens in enumerate(word_tokens):
            if i:
                main.append(dict(_OPTIONAL_HYPHEN))
            main.extend(_token_spec(t) for t in tokens)
    patterns = [main]
    for tokens in variants:
        if len(tokens) == 1:
            patterns.append([_single_token_spec(tokens[0])])
        else:
            patterns.append([_token_spec(t) for t in tokens])
    return patterns


# ---------------------------------------------------------------------------
# Loading and validation
# ---------------------------------------------------------------------------


def load_gazetteer(path: Path | None = None) -> Gazetteer:
    """Load and validate a gazetteer file; the default file is loaded once per process."""
    if path is None:
        return _load_default()
    return _load(Path(path))


@functools.lru_cache(maxsize=1)
def _load_default() -> Gazetteer:
    return _load(DEFAULT_PATH)


def _load(path: Path) -> Gazetteer:
    try:
        with path.open("rb") as handle:
            document = tomllib.load(handle)
    except FileNotFoundError:
        raise GazetteerError(f"{path}: gazetteer file not found") from None
    except OSError as exc:
        raise GazetteerError(f"{path}: cannot read gazetteer file ({exc.strerror})") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise GazetteerError(f"{path}: not valid TOML ({exc})") from None
    extra = sorted(set(document) - {"entity"})
    if extra:
        raise GazetteerError(f"{path}: unexpected top-level key '{extra[0]}' (only [[entity]] tables)")
    tables = document.get("entity", [])
    if not isinstance(tables, list):
        raise GazetteerError(f"{path}: 'entity' must be an array of tables ([[entity]])")
    for index, table in enumerate(tables, start=1):
        if not isinstance(table, dict):
            raise GazetteerError(f"{path}: entity #{index}: must be a table ([[entity]])")
    entries = [_parse_entry(path, index, table) for index, table in enumerate(tables, start=1)]
    _check_keys(path, entries)
    _check_references(path, entries)
    _check_names(path, entries)
    return Gazetteer(entries)


def _parse_entry(path: Path, index: int, table: dict) -> GazetteerEntry:
    key = table.get("key")
    where = f"{path}: entity '{key}'" if isinstance(key, str) and key else f"{path}: entity #{index}"

    def fail(problem: str) -> GazetteerError:
        return GazetteerError(f"{where}: {problem}")

    for field in _REQUIRED:
        if field not in table:
            raise fail(f"missing required field '{field}'")
    cls = table["class"]
    if cls not in ENTITY_CLASSES:
        raise fail(f"unknown class '{cls}' (expected one of {', '.join(ENTITY_CLASSES)})")
    values: dict[str, Any] = {}
    for field, value in table.items():
        if field not in _FIELDS:
            raise fail(f"unknown field '{field}'")
        attribute, kind, classes = _FIELDS[field]
        if cls not in classes:
            raise fail(f"field '{field}' is not allowed for class {cls}")
        if kind is str and not (isinstance(value, str) and value.strip()):
            raise fail(f"field '{field}' must be a non-empty string")
        if kind is list:
            if not (isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)):
                raise fail(f"field '{field}' must be a list of non-empty strings")
            value = tuple(value)
        values[attribute] = value
    entry = GazetteerEntry(**values)
    if entry.key != slugify(entry.label):
        raise fail(f"key is not the slug of label '{entry.label}' (expected '{slugify(entry.label)}')")
    if entry.wikidata is not None and not _WIKIDATA_RE.fullmatch(entry.wikidata):
        raise fail(f"wikidata '{entry.wikidata}' is not a Wikidata id like 'Q159'")
    if entry.kind is not None and entry.kind not in ORGANIZATION_KINDS:
        raise fail(f"kind '{entry.kind}' is not one of {', '.join(ORGANIZATION_KINDS)}")
    plain = {normalize(n) for n in entry.names()}
    for name in entry.ambiguous_aliases:
        if normalize(name) in plain:
            raise fail(f"'{name}' is both a name and an ambiguous alias")
    return entry


def _check_keys(path: Path, entries: list[GazetteerEntry]) -> None:
    seen: set[str] = set()
    for entry in entries:
        if entry.key in seen:
            raise GazetteerError(f"{path}: entity '{entry.key}': duplicate key")
        seen.add(entry.key)


def _check_references(path: Path, entries: list[GazetteerEntry]) -> None:
    by_key = {e.key: e for e in entries}

    def target(entry: GazetteerEntry, field: str, key: str, allowed: tuple[str, ...]) -> GazetteerEntry:
        other = by_key.get(key)
        if other is None:
            raise GazetteerError(f"{path}: entity '{entry.key}': {field} '{key}' is not a key of the gazetteer")
        if other.cls not in allowed:
            raise GazetteerError(
                f"{path}: entity '{entry.key}': {field} '{key}' is a {other.cls}, "
                f"expected {' or '.join(allowed)}"
            )
        return other

    for entry in entries:
        if entry.affiliation is not None:
            target(entry, "affiliation", entry.affiliation, ("State", "Organization"))
        if entry.located_in is not None:
            target(entry, "in", entry.located_in, ("State",))
        if entry.capital is not None:
            place = target(entry, "capital", entry.capital, ("Place",))
            if place.capital_of != entry.key:
                raise GazetteerError(
                    f"{path}: entity '{entry.key}': capital '{place.key}' does not say "
                    f"capital_of = \"{entry.key}\""
                )
        if entry.capital_of is not None:
            state = target(entry, "capital_of", entry.capital_of, ("State",))
            if state.capital != entry.key:
                raise GazetteerError(
                    f"{path}: entity '{entry.key}': capital_of '{state.key}' does not say "
                    f"capital = \"{entry.key}\""
                )


def _check_names(path: Path, entries: list[GazetteerEntry]) -> None:
    """Two entries of one class may not share a name, unless both declare it ambiguous."""
    plain: dict[tuple[str, str], str] = {}
    for entry in entries:
        for name in (*entry.names(), *entry.seats):
            owner = plain.setdefault((entry.cls, normalize(name)), entry.key)
            if owner != entry.key:
                raise GazetteerError(
                    f"{path}: entity '{entry.key}': name '{name}' is also a name of '{owner}' "
                    f"({entry.cls}); declare it in ambiguous_aliases of both instead"
                )
    for entry in entries:
        for name in entry.ambiguous_aliases:
            owner = plain.get((entry.cls, normalize(name)))
            if owner is not None:
                raise GazetteerError(
                    f"{path}: entity '{entry.key}': ambiguous alias '{name}' is a plain name of '{owner}'"
                )
    demonyms: dict[str, str] = {}
    for entry in entries:
        for word in entry.demonyms:
            owner = demonyms.setdefault(normalize(word), entry.key)
            if owner != entry.key:
                raise GazetteerError(
                    f"{path}: entity '{entry.key}': demonym '{word}' is also a demonym of '{owner}'"
                )
