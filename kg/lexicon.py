"""The trigger lexicons and cue words of kg/data/lexicon.toml, loaded once as sets."""
from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

LEXICON_FILE = Path(__file__).parent / "data" / "lexicon.toml"


@dataclass(frozen=True, eq=False)
class Lexicon:
    raw: dict

    @functools.lru_cache(maxsize=None)  # noqa: B019 - one Lexicon per process; readers ask per article
    def words(self, section: str, key: str) -> frozenset[str]:
        """A word list as a set of lower-case forms (typographic apostrophes made plain)."""
        node = self.raw
        for part in section.split("."):
            node = node[part]
        return frozenset(plain(w) for w in node[key])

    @functools.lru_cache(maxsize=None)  # noqa: B019
    def table(self, section: str) -> dict[str, frozenset[str]]:
        node = self.raw
        for part in section.split("."):
            node = node[part]
        return {k: frozenset(plain(w) for w in v) for k, v in node.items() if isinstance(v, list)}


@functools.lru_cache(maxsize=65536)
def plain(word: str) -> str:
    """Lower case with plain apostrophes: how every word list is compared."""
    return word.lower().replace("’", "'").replace("ʼ", "'")


@functools.lru_cache(maxsize=2)
def load_lexicon(path: Path = LEXICON_FILE) -> Lexicon:
    with open(path, "rb") as handle:
        return Lexicon(tomllib.load(handle))
