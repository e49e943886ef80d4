"""Read a French text straight into a KnowledgeGraph: for tests, notebooks and quick checks."""
from __future__ import annotations

from datetime import date as Date

from kg.corpus import segment
from kg.model import Article, KnowledgeGraph
from kg.nlp import DEFAULT_MODEL


def read_texts(texts: dict[str, str], *, dates: dict[str, Date] | None = None,
               model: str = DEFAULT_MODEL) -> KnowledgeGraph:
    """Articles given as {id: text} (optionally {id: publication date}), resolved together."""
    from kg.build import read_articles
    from kg.gazetteer import load_gazetteer
    from kg.resolve import resolve_corpus

    articles = [
        Article(id=key, files=(f"{key}.txt",), text=text, segments=segment(text),
                date=(dates or {}).get(key))
        for key, text in sorted(texts.items())
    ]
    facts, _ = read_articles(articles, model)
    return resolve_corpus(articles, facts, load_gazetteer())


def read_text(text: str, *, date: Date | None = None, model: str = DEFAULT_MODEL) -> KnowledgeGraph:
    """One article's graph."""
    return read_texts({"t": text}, dates={"t": date} if date else None, model=model)
