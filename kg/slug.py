"""Readable ASCII slugs and short content hashes for stable identifiers."""
from __future__ import annotations

import hashlib
import re
import unicodedata

# Letters that NFKD does not decompose into ASCII but that French and transliterated names use.
_LIGATURES = str.maketrans(
    {"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae", "ß": "ss", "ø": "o", "Ø": "o",
     "đ": "d", "Đ": "d", "ł": "l", "Ł": "l"}
)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_HASH_SEPARATOR = "\x1f"  # the ASCII unit separator: cannot appear in names, so ("a", "bc") != ("ab", "c")


def slugify(text: str) -> str:
    """Lower-case ASCII slug of `text`: accents dropped, every other run of characters becomes '-'.

    >>> slugify("Corée du Nord"), slugify("Sergueï Lavrov"), slugify("L’OTAN")
    ('coree-du-nord', 'serguei-lavrov', 'l-otan')
    >>> slugify("« »")
    'x'
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return _NOT_SLUG.sub("-", ascii_only).strip("-") or "x"


def short_hash(*parts: str, length: int = 10) -> str:
    """The first `length` hex digits of SHA-256 over `parts`: the same on every run and machine.

    >>> short_hash("a1", "0", "76")
    'c4580a11a3'
    """
    if not 1 <= length <= 64:
        raise ValueError(f"hash length must be between 1 and 64, not {length}")
    digest = hashlib.sha256(_HASH_SEPARATOR.join(parts).encode("utf-8")).hexdigest()
    return digest[:length]
