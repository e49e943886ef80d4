"""kg.corpus properties: any text is read or skipped with a warning; segments are clean spans."""
from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.corpus import read_article, segment

LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"

# Text that looks like articles: words, punctuation, quotes, front matter fences, line breaks.
article_like = st.lists(
    st.one_of(
        st.sampled_from([
            "---", "title: Essai", "date: 2025-07-13", "Partager", "Publié le 3 mars 2024", "« ", " »",
            "Le ministre", " est arrivé.", "Kim Jong-un", "?", ":", "# ", "- ", "\ufeff", "\u200b", "\u00a0",
            "\r\n", "\n", "\n\n", "\r", " ", "\t", "é", "É",
        ]),
        st.text(max_size=12),
    ),
    max_size=40,
).map("".join)
any_text = st.one_of(st.text(), article_like)


def check_segments(text: str, segments) -> None:
    previous_end = -1
    for s in segments:
        assert 0 <= s.start < s.end <= len(text)
        assert s.start >= previous_end  # sorted, no overlap
        previous_end = s.end
        span = text[s.start : s.end]
        assert span == span.strip() and span.strip("\ufeff\u200b")
        assert not any(c in span for c in LINE_BREAKS)
        assert s.kind in ("body", "heading", "boilerplate", "metadata")


@settings(max_examples=150, deadline=None)
@given(any_text)
def test_corpus_properties_segments_are_clean_sorted_spans(text):
    check_segments(text, segment(text))


@settings(max_examples=150, deadline=None)
@given(any_text, st.integers(min_value=0, max_value=50))
def test_corpus_properties_segments_from_an_offset_stay_after_it(text, start):
    start = min(start, len(text))
    segments = segment(text, start)
    check_segments(text, segments)
    assert all(s.start >= start for s in segments)


@settings(max_examples=100, deadline=None)
@given(any_text, st.sampled_from([".txt", ".md", ".html", ".dat"]), st.sampled_from(["utf-8", "utf-16", "cp1252"]))
def test_corpus_properties_any_file_is_read_or_skipped_with_a_warning(text, suffix, encoding):
    data = text.encode(encoding, errors="replace")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "article" + suffix)
        path.write_bytes(data)
        article, warnings = read_article(path)
    assert all(w.startswith(f"{path}: ") and "\n" not in w for w in warnings)
    if article is None:
        assert warnings and warnings[-1].endswith(", skipped")
        return
    check_segments(article.text, article.segments)
    assert any(s.kind in ("body", "heading") for s in article.segments)
    if encoding == "utf-8" and suffix != ".html":
        assert article.text == data.decode("utf-8")
        for s in article.segments:
            assert data.decode("utf-8")[s.start : s.end] == article.text[s.start : s.end]
