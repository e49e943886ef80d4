"""Regexes for French phrases kept in data files, shared by the number and date readers."""
from __future__ import annotations

import re

APOSTROPHES = "'’ʼ"
HYPHENS = "\\-‐‑"  # for character classes


def phrase_pattern(phrase: str) -> str:
    """Regex for a data phrase: any apostrophe, any whitespace run, a hyphen or space or nothing."""
    out = []
    for ch in phrase:
        if ch in APOSTROPHES:
            out.append(f"[{APOSTROPHES}]\\s*")
        elif ch.isspace():
            out.append(r"\s+")
        elif ch in "-‐‑":
            out.append(f"\\s*[{HYPHENS}]?\\s*")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def alternation(phrases) -> str:
    """Longest first, so that a phrase is never cut short by one of its prefixes."""
    return "|".join(phrase_pattern(p) for p in sorted(set(phrases), key=lambda p: (-len(p), p)))


def word_key(word: str) -> str:
    """A word as the data files list it: lower case, plain apostrophes."""
    return word.lower().replace("’", "'").replace("ʼ", "'")
