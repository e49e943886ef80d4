"""French quantities in a sentence: "près de 12 millions", "28 000", "une dizaine", "plusieurs milliers".

Pure functions over strings; the words they know (number words, multipliers, qualifiers, vague
determiners, units) are in ``kg/data/quantities.toml``.

Conventions (the graph keeps one number and a qualifier, so vague phrases need a rule):

- Digits use French grouping: "28 000" (space, U+00A0 or U+202F), "28.000", "1 500 000",
  "10000"; a comma is the decimal mark ("12,5 millions" is 12 500 000).
- Multipliers: "12 millions", "1,5 million", "deux milliards", "deux millions et demi".
  Values are ``Decimal`` without exponent (``Decimal("12000000")``).
- Approximating nouns are Approximately: "une dizaine" 10, "une centaine" 100, "un millier"
  1000, "une dizaine de milliers" 10 000, "deux centaines" 200.
- A vague plural means *at least two* of the unit, AtLeast: "plusieurs N", "des N",
  "quelques N" give 2 N — "des milliers" 2000, "plusieurs centaines" 200, "des millions"
  2 000 000, "des dizaines de milliers" 20 000; "millions de ..." with no determiner too.
  Qualifiers before a vague plural are ignored (it stays AtLeast).
- Qualifiers right before a number: "près de", "environ", "quelque(s)", "autour de", "~"...
  give Approximately; "plus de", "au moins", "pas moins de"... give AtLeast ("plus de" means
  strictly more, but the graph has no "more than" qualifier); "moins de", "au plus",
  "jusqu'à"... give AtMost; "exactement" or nothing gives Exactly. An explicit qualifier wins
  over an approximating noun ("plus d'une centaine" is AtLeast 100).

Not quantities (they are skipped):

- "un"/"une" alone: an article ("un accord"); only "un million", "une centaine" count.
- Years: a 4-digit number without grouping between 1900 and 2100 is a year ("en 2024",
  "2019") unless a multiplier follows ("2000 milliards"); after "en", "depuis", "dès"... any
  4-digit number from 1000 to 2999 is a year.
- Days of month ("le 19 juin", "samedi 12 juillet"), dates written with / or -, times
  ("10 h"), ordinals ("1er", "deuxième"), designations ("KN-23", "l'article 4").
- Calibres ("152 mm", "122mm", "152 millimètres", "calibre 155"): they describe an item;
  ``find_calibres`` returns them.
- A number followed by a unit of frequency, duration or measure, optionally after "de":
  "deux fois", "six semaines", "plus de deux ans", "30 %", "500 kilomètres",
  "2 milliards de dollars".
- A number written in words after a definite determiner is anaphoric: "les deux pays",
  "ces trois hommes", "aux deux parties", "tous deux". "deux navires" is 2; digits after a
  determiner stay quantities ("les 10 000 soldats"), and so do words with a multiplier
  ("les deux millions d'obus").
- "neuf" alone is also the adjective "new": it counts as 9 only before a plural-looking word.
"""
from __future__ import annotations

import re
import tomllib
from decimal import Decimal
from pathlib import Path

from kg.phrases import APOSTROPHES, HYPHENS, alternation, phrase_pattern, word_key
from kg.model import Quantity

_DATA = tomllib.loads((Path(__file__).parent / "data" / "quantities.toml").read_text(encoding="utf-8"))

_APOSTROPHES, _HYPHENS = APOSTROPHES, HYPHENS
_phrase, _alternation, _word_key = phrase_pattern, alternation, word_key


# ---- vocabulary --------------------------------------------------------------------------

_UNITS = {w: v for w, v in _DATA["numbers"].items() if v < 10}
_TEENS = {w: v for w, v in _DATA["numbers"].items() if 10 <= v < 20}
_TENS = {w: v for w, v in _DATA["numbers"].items() if 20 <= v < 100}
_HUNDREDS = {w for w, v in _DATA["numbers"].items() if v == 100}
_THOUSANDS = {w for w, v in _DATA["numbers"].items() if v == 1000}
_BIG = {w: int(v) for w, v in _DATA["multipliers"].items()}
_BIG_PLURAL = {w: v for w, v in _BIG.items() if w.endswith("s")}
_APPROX = {**_DATA["approximations"], **{w + "s": v for w, v in _DATA["approximations"].items()}}
_APPROX_PLURAL = {w: v for w, v in _APPROX.items() if w.endswith("s")}
_APPROX_NEEDING_DE = set(_DATA["approximations_needing_de"]["nouns"])
_APPROX_NEEDING_DE |= {w + "s" for w in _APPROX_NEEDING_DE}
_ARTICLES = {w for w, v in _UNITS.items() if v == 1}  # "un", "une"
_VAGUE_FACTOR = int(_DATA["vague"]["factor"])
_NOT = _DATA["not_quantities"]
_YEAR_MIN, _YEAR_MAX = _NOT["year_range"]
_NEUF = set(_DATA["ambiguous_neuf"]["words"])
_NEUF_NOT_NOUNS = {_word_key(w) for w in _DATA["ambiguous_neuf"]["not_plural_nouns"]}

_KIND = {
    **{w: "unit" for w in _UNITS},
    **{w: "teen" for w in _TEENS},
    **{w: "ten" for w in _TENS},
    **{w: "hundred" for w in _HUNDREDS},
    **{w: "thousand" for w in _THOUSANDS},
    **{w: "big" for w in _BIG},
}
_VALUE = {**_DATA["numbers"], **_BIG}

# ---- precompiled patterns ----------------------------------------------------------------

_WINDOW = 30  # characters looked at before a number for a qualifier or determiner
_SEP_CHARS = " \u00a0\u202f\u2009"
_DIGITS = (
    rf"(?<![\w.,/:{_HYPHENS}])"
    rf"(?P<digits>[0-9]{{1,3}}(?:[{_SEP_CHARS}][0-9]{{3}})+(?![0-9])|[0-9]{{1,3}}(?:\.[0-9]{{3}})+(?![0-9])|[0-9]+)"
    rf"(?P<decimals>,[0-9]+)?"
    rf"(?!\w|[.,/:{_HYPHENS}][0-9])"
)
_WORDS = _alternation(list(_DATA["numbers"]) + list(_BIG))
_VAGUE_NOUNS = _alternation(list(_APPROX_PLURAL) + list(_BIG_PLURAL))

# Where a quantity may start: digits, a number word, or a vague plural ("des milliers").
_TRIGGER = re.compile(
    rf"{_DIGITS}"
    rf"|(?<![\w{_HYPHENS}])(?P<vague>{_VAGUE_NOUNS})(?!\w)"
    rf"|(?<![\w{_HYPHENS}])(?P<word>{_WORDS})(?!\w)",
    re.IGNORECASE,
)
_WORD_TOKEN = re.compile(rf"(?:{_WORDS})(?!\w)", re.IGNORECASE)
_WORD_SEP = re.compile(rf"\s*[{_HYPHENS}]\s*(?:et\s*[{_HYPHENS}]\s*)?|\s+(?:et\s+)?", re.IGNORECASE)
_DIGIT_MULT = re.compile(rf"\s*(?P<mult>{_alternation(list(_BIG) + list(_THOUSANDS))})(?!\w)", re.IGNORECASE)
_HALF = re.compile(r"\s+et\s+demie?(?!\w)", re.IGNORECASE)
_APPROX_AFTER = re.compile(rf"\s+(?P<noun>{_alternation(_APPROX)})(?!\w)", re.IGNORECASE)
_DE = r"\s+(?:de\s+|d['’ʼ]\s*)"
_DE_AFTER = re.compile(_DE, re.IGNORECASE)
# "une dizaine de milliers", "des centaines de millions": a plural multiplier after "de".
_PLURAL_SCALES = list(_BIG_PLURAL) + [w for w in _APPROX_PLURAL if _APPROX[w] == 1000]
_DE_MULT = re.compile(rf"{_DE}(?P<mult>{_alternation(_PLURAL_SCALES)})(?!\w)", re.IGNORECASE)
_HYPHEN_WORD = re.compile(rf"[{_HYPHENS}]\w")
_NEXT_WORD = re.compile(r"\s+(\w+)")


def _gate(word: str) -> str:
    """The last word of a phrase as a set key: "d'" stays, "d'environ" gives "environ"."""
    key = _word_key(word)
    return key if key.endswith("'") else key.rsplit("'", 1)[-1]


class _PhraseBefore:
    """One of `phrases` ending right before a position. A set lookup on the last word gates the
    regex: a `$`-anchored search costs a try at every position of the window."""

    def __init__(self, phrases, tail: str = r"\s*", groups: dict[str, list[str]] | None = None) -> None:
        if groups:
            body = "|".join(f"(?P<{name}>{_alternation(group)})" for name, group in groups.items())
            phrases = [p for group in groups.values() for p in group]
        else:
            body = _alternation(phrases)
        self.regex = re.compile(rf"(?<![\w~$€£])(?:{body}){tail}$", re.IGNORECASE)
        self.gates = frozenset(_gate(p.split()[-1]) for p in phrases)

    def search(self, text: str, floor: int, start: int) -> re.Match | None:
        low = max(floor, start - _WINDOW)
        words = text[low:start].split()
        if not words or _gate(words[-1]) not in self.gates:
            return None
        return self.regex.search(text, low, start)


_QUALIFIER_BEFORE = _PhraseBefore(None, groups=_DATA["qualifiers"])
_VAGUE_DET_BEFORE = _PhraseBefore(_DATA["vague"]["determiners"], tail=r"\s+")
_DEFINITE_BEFORE = _PhraseBefore(_NOT["definite_determiners"], tail=r"\s+")
_DESIGNATOR_BEFORE = _PhraseBefore(_NOT["designators"])
_CURRENCY_BEFORE = _PhraseBefore(_NOT["currency_prefixes"])
_YEAR_PREP_BEFORE = _PhraseBefore(_NOT["year_prepositions"], tail=rf"[\s{_HYPHENS}]*")
_UNIT_AFTER = re.compile(
    rf"(?:{_DE})?\s*(?:{_alternation(_NOT['frequency'] + _NOT['durations'] + _NOT['measures'])})(?![\w²])",
    re.IGNORECASE,
)
_TIME_AFTER = re.compile(rf"\s*(?:{_alternation(_NOT['time_units'])})(?:\s*[0-5][0-9])?(?!\w)", re.IGNORECASE)

# A day of the month is no quantity: month names come from the dates vocabulary.
_MONTHS = tomllib.loads((Path(__file__).parent / "data" / "dates.toml").read_text(encoding="utf-8"))["months"]
_MONTH_AFTER = re.compile(rf"\s+(?:{_alternation(_MONTHS)})(?!\w)", re.IGNORECASE)

_CALIBRE = re.compile(
    r"(?<![\w.,])(?P<n>[0-9]{1,3}(?:,[0-9]{1,2})?)\s*(?:mm|millim[èe]tres?)(?!\w)"
    r"|(?<!\w)calibre\s+(?:de\s+)?(?P<bare>[0-9]{1,3}(?:,[0-9]{1,2})?)(?!\w|[.,][0-9])",
    re.IGNORECASE,
)
_CALIBRE_MARKERS = ("mm", "millim", "calibre")  # the calibre regex runs only where one occurs

# Words a quantity can start with; "un"/"une" matter only when a scale word is present.
_TRIGGER_WORDS = frozenset(list(_KIND) + list(_APPROX_PLURAL))
_SCALE_WORDS = frozenset(list(_BIG) + list(_APPROX))
_WORD_RE = re.compile(r"\w+")
_HAS_DIGIT = re.compile(r"[0-9]")
_DIGIT_START = re.compile(r"[0-9]+")  # a run: its start is a candidate


# ---- number words ------------------------------------------------------------------------


class _WordNumber:
    """Reads French number words one at a time; refuses a word that cannot continue the number."""

    def __init__(self) -> None:
        self.big_total = 0  # finished "... millions" / "... milliards" parts
        self.thousands = 0  # finished "... mille" part
        self.group = 0  # the part below a thousand being read
        self.last_kind: str | None = None
        self.last_value = 0
        self.smallest_big = None  # multipliers must decrease: "deux milliards trois millions"
        self.last_big = 0

    @property
    def value(self) -> int:
        return self.big_total + self.thousands + self.group

    def add(self, word: str) -> bool:
        kind, value = _KIND[word], int(_VALUE[word])
        last, group = self.last_kind, self.group
        if kind in ("unit", "teen", "ten"):
            if last in (None, "thousand", "big"):
                group = value
            elif last == "hundred":
                group += value
            elif last == "ten" and (kind == "unit" or (kind == "teen" and self.last_value in (60, 80))):
                group += value
            elif last == "teen" and self.last_value == 10 and kind == "unit" and value >= 7:
                group += value  # dix-sept, dix-huit, dix-neuf
            elif last == "unit" and self.last_value == 4 and value == 20 and group % 100 == 4:
                group += 76  # quatre-vingt(s)
                value = 80
            else:
                return False
        elif kind == "hundred":
            if last in (None, "thousand", "big"):
                group = 100
            elif last == "unit" and 2 <= group <= 9:
                group *= 100
            else:
                return False
        elif kind == "thousand":
            if self.thousands or last == "thousand":
                return False
            self.thousands = (group or 1) * 1000
            group = 0
        else:  # a large multiplier needs a number before it: "millions" alone is vague
            if last is None or (self.smallest_big is not None and value >= self.smallest_big):
                return False
            multiplicand = self.thousands + group
            if not multiplicand:
                return False
            self.big_total += multiplicand * value
            self.thousands, group, self.smallest_big, self.last_big = 0, 0, value, value
        self.group, self.last_kind, self.last_value = group, kind, value
        return True


def _read_words(text: str, start: int) -> tuple[int, _WordNumber, list[str]]:
    """The longest run of number words from `start` that forms one number."""
    number, words = _WordNumber(), []
    pos = end = start
    joined_by_et = False
    while True:
        m = _WORD_TOKEN.match(text, pos)
        if not m:
            break
        word = m.group().lower()
        if joined_by_et and not (word in ("un", "une", "onze") and number.last_kind == "ten"):
            break  # "et" only joins "vingt et un", "soixante et onze"
        if not number.add(word):
            break
        words.append(word)
        end = m.end()
        sep = _WORD_SEP.match(text, end)
        if not sep:
            break
        joined_by_et = "et" in sep.group().lower()
        pos = sep.end()
    return end, number, words


# ---- digits ------------------------------------------------------------------------------


_DROP_GROUPING = str.maketrans("", "", _SEP_CHARS + ".")


def _digits_value(digits: str, decimals: str | None) -> Decimal:
    plain = digits.translate(_DROP_GROUPING)
    return Decimal(plain + ("." + decimals[1:] if decimals else ""))


def _normalise(value: Decimal) -> Decimal:
    """Integral values without exponent or trailing zeros: Decimal('12000000'), Decimal('2.5')."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()


# ---- scanning ----------------------------------------------------------------------------


def _skip_after(text: str, end: int) -> int | None:
    """End of a frequency/duration/measure unit right after a number, else None."""
    m = _UNIT_AFTER.match(text, end)
    return m.end() if m else None


def _qualifier(text: str, start: int, floor: int) -> tuple[int, str | None]:
    m = _QUALIFIER_BEFORE.search(text, floor, start)
    if not m:
        return start, None
    return m.start(), m.lastgroup


def _vague_at(text: str, start: int, noun: str, floor: int) -> tuple[int, int, Quantity] | int:
    """A vague plural ("des milliers", "plusieurs dizaines de milliers"); else where to resume."""
    end = start + len(noun)
    key = noun.lower()
    base = _APPROX_PLURAL.get(key) or _BIG_PLURAL.get(key)
    if not base:
        return end
    if key in _APPROX_PLURAL:
        de = _DE_MULT.match(text, end)
        if de:
            base *= _APPROX.get(de.group("mult").lower()) or _BIG[de.group("mult").lower()]
            end = de.end()
        elif key in _APPROX_NEEDING_DE and not _DE_AFTER.match(text, end):
            return end
    skipped = _skip_after(text, end)
    if skipped is not None:
        return skipped
    det = _VAGUE_DET_BEFORE.search(text, floor, start)
    first = det.start() if det else start
    return first, end, Quantity(_normalise(Decimal(base * _VAGUE_FACTOR)), "AtLeast")


def _number_at(text: str, m: re.Match, floor: int) -> tuple[int, int, Quantity] | int:
    """The quantity starting with the number matched by `m`; else the position to resume at."""
    start = m.start()
    inherent = "Exactly"
    last_big = 0  # the multiplier the number ends with ("deux millions"), for "et demi"
    words: list[str] = []
    if m.group("digits"):
        digits, decimals = m.group("digits"), m.group("decimals")
        value, end = _digits_value(digits, decimals), m.end()
        bare_year = decimals is None and len(digits) == 4 and digits.isdigit()
        mult = _DIGIT_MULT.match(text, end)
        if mult:
            word = mult.group("mult").lower()
            value *= _VALUE[word]
            last_big, end = _BIG.get(word, 0), mult.end()
        scaled = bool(mult)
    else:
        end, number, words = _read_words(text, start)
        if not words:
            return _vague_at(text, start, m.group("word"), floor)
        if _HYPHEN_WORD.match(text, end):  # "dix-huitième", "trois-mâts"
            return end
        value, bare_year, scaled = Decimal(number.value), False, bool(number.big_total)
        last_big = number.last_big if number.last_kind == "big" else 0
    if last_big:
        half = _HALF.match(text, end)
        if half:
            value += Decimal(last_big) / 2
            end = half.end()
    if not scaled:
        approx = _APPROX_AFTER.match(text, end)
        if approx:
            noun = approx.group("noun").lower()
            if noun not in _APPROX_NEEDING_DE or _DE_AFTER.match(text, approx.end()):
                value *= _APPROX[noun]
                end, scaled, inherent = approx.end(), True, "Approximately"
                de = _DE_MULT.match(text, end)
                if de:
                    value *= _APPROX.get(de.group("mult").lower()) or _BIG[de.group("mult").lower()]
                    end = de.end()
    if len(words) == 1 and words[0] in _ARTICLES and not scaled:
        return end  # "un accord": an article
    skipped = _skip_after(text, end)
    if skipped is not None:
        return skipped
    if not scaled:
        time = _TIME_AFTER.match(text, end) if m.group("digits") else None
        if time:
            return time.end()  # "10 h 30"
        if value <= 31 and _MONTH_AFTER.match(text, end):
            return end  # a day of the month
        if bare_year and (
            _YEAR_MIN <= value <= _YEAR_MAX
            or (1000 <= value <= 2999 and _YEAR_PREP_BEFORE.search(text, 0, start))
        ):
            return end
        if words and all(w in _NEUF for w in words) and not _plural_follows(text, end):
            return end  # "un char neuf"
        if words and _DEFINITE_BEFORE.search(text, 0, start):
            return end  # "les deux pays"
    if _DESIGNATOR_BEFORE.search(text, 0, start) or _CURRENCY_BEFORE.search(text, 0, start):
        return end
    first, explicit = _qualifier(text, start, floor)
    return first, end, Quantity(_normalise(value), explicit or inherent)


def _plural_follows(text: str, end: int) -> bool:
    m = _NEXT_WORD.match(text, end)
    if not m:
        return False
    word = _word_key(m.group(1))
    return word.endswith(("s", "x")) and word not in _NEUF_NOT_NOUNS


def find_calibres(text: str) -> list[tuple[int, int, str]]:
    """Calibres ("152 mm", "122mm", "152 millimètres", "calibre 155") as (start, end, "152 mm")."""
    _check_text(text)
    low = text.lower()
    if not any(marker in low for marker in _CALIBRE_MARKERS) or not _HAS_DIGIT.search(text):
        return []
    found = []
    for m in _CALIBRE.finditer(text):
        number = m.group("n") or m.group("bare")
        found.append((m.start(), m.end(), f"{number} mm"))
    return found


def _candidate_starts(text: str) -> list[int]:
    """Where a quantity may start: digit runs and number words, found with C-level scans (a
    Python loop over every word, or one big regex search, costs more than the rest)."""
    low = text.lower()
    words = set(_WORD_RE.findall(low))
    present = _TRIGGER_WORDS & words
    if not words & _SCALE_WORDS:
        present -= _ARTICLES  # "un"/"une" count only as "un million", "une dizaine"
    starts = [m.start() for m in _DIGIT_START.finditer(text)]
    if present and len(low) != len(text):  # lower() changed offsets: test every word instead
        return sorted(set(starts) | {m.start() for m in _WORD_RE.finditer(text) if m.group().lower() in present})
    for word in present:
        i = low.find(word)
        while i >= 0:
            starts.append(i)
            i = low.find(word, i + len(word))
    return sorted(set(starts))


def find_quantities(text: str) -> list[tuple[int, int, Quantity]]:
    """Every quantity expression in `text` as (start, end, Quantity): offsets slice `text`, sorted,
    non-overlapping; a qualifier ("près de") or vague determiner ("plusieurs") is inside the span."""
    _check_text(text)
    starts = _candidate_starts(text)
    if not starts:
        return []
    calibres = find_calibres(text)
    found: list[tuple[int, int, Quantity]] = []
    pos = floor = 0
    for start in starts:
        if start < pos:
            continue
        m = _TRIGGER.match(text, start)
        if not m:
            continue
        overlapping = [e for s, e, _ in calibres if s < m.end() and m.start() < e]
        if overlapping:
            pos = max(overlapping)
            continue
        if m.group("vague"):
            result = _vague_at(text, start, m.group("vague"), floor)
        else:
            result = _number_at(text, m, floor)
        if isinstance(result, int):
            pos = max(result, m.end())
            continue
        found.append(result)
        pos = floor = result[1]
    return found


def parse_quantity(text: str) -> Quantity | None:
    """The quantity that is the whole of `text` (surrounding whitespace ignored), else None."""
    _check_text(text)
    stripped = text.strip()
    found = find_quantities(stripped)
    if len(found) == 1 and found[0][0] == 0 and found[0][1] == len(stripped):
        return found[0][2]
    return None


def _check_text(text: object) -> None:
    if not isinstance(text, str):
        raise TypeError(f"expected a str of French text, got {type(text).__name__}")
