"""French dates in a sentence: "le 19 juin 2024", "en octobre dernier", "samedi", "l'été 2024".

Pure functions over strings; month names, weekdays, seasons and relative expressions are in
``kg/data/dates.toml``. A date is only as precise as the text allows (``DateValue``):
"2024-06-19" (date), "2024-06" (gYearMonth), "2024" (gYear), "--06-19" (gMonthDay).

Relative expressions are resolved against `reference`, the article's publication date; one that
cannot be resolved without it is left out, never guessed. Articles report past events, so:

- "le 19 juin" / "le 19 juin dernier": the most recent 19 June on or before the reference
  (the reference's year, or the year before when that date is after the reference); without a
  reference, gMonthDay "--06-19". "le 19 juin prochain" is the first on or after it.
- "samedi 12 juillet": as above, the weekday only checks the year: when it does not match,
  the year (reference year ±1) whose 12 July is a Saturday and lies within six months of the
  reference is used ("samedi 12 juillet" in an article of 10 July 2025 is 2025-07-12); none →
  gMonthDay.
- "en octobre", "début novembre", "mi-juillet": the month in the reference year if not after the
  reference month, else the year before; "en octobre dernier": the last October strictly before
  the reference month; without a reference these are left out.
- "samedi", "ce samedi", "dimanche matin": the most recent such day on or before the reference;
  "samedi dernier" strictly before it; "samedi prochain" strictly after it.
- Said of what is to come (`ahead=True`: a future tense, "doit", "prévoit de"), a day, month or
  weekday without "dernier"/"prochain" is the first on or after the reference instead: "les deux
  dirigeants doivent se voir mercredi", in an article of Tuesday 18 June 2024, is 2024-06-19; "le
  sommet se tiendra en octobre" (article of November 2024) is 2025-10.
- "ce week-end": the Saturday of the reference's weekend, or of the most recent weekend when the
  reference is a weekday; "le week-end dernier": the same, one week earlier when the reference
  itself falls on a weekend.
- "hier", "avant-hier", "aujourd'hui", "il y a trois jours": a date; "il y a deux semaines": the
  month of that day (a week-old event is not known to the day); "le mois dernier": gYearMonth;
  "l'an dernier", "cette année": gYear. "la semaine dernière" is left out (not a day nor a month).
- "l'été 2024" is gYear "2024" (the graph has no season type); "l'été dernier" is the year of
  the last summer ended before the reference month; "cet été" the reference's year. Winter spans
  two years: "l'hiver dernier" and "cet hiver" are left out. "l'été" alone is left out.
- "d'aujourd'hui" and "de demain" are left out: "l'Europe de demain" is no day.
- A 4-digit year alone (1900–2100) is a date only with a temporal word: in the span ("en 2024",
  "début 2024", "fin 2023", "mi-2025", "l'été 2024") or right before it ("depuis 2024", "de
  2024", "dès", "d'ici", "avant", "après", "entre 2019 et 2024"), and not after a quantity
  qualifier ("plus de 2000 soldats"). Grouped numbers, quantities and calibres ("28 000",
  "12 millions", "152 mm") are never dates.
"""
from __future__ import annotations

import calendar
import dataclasses
import datetime
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from kg.phrases import APOSTROPHES, HYPHENS, alternation, phrase_pattern, word_key
from kg.model import DateValue

_DATA = tomllib.loads((Path(__file__).parent / "data" / "dates.toml").read_text(encoding="utf-8"))

_APOSTROPHES, _HYPHENS = APOSTROPHES, HYPHENS
_phrase, _alternation, _key = phrase_pattern, alternation, word_key


# ---- vocabulary --------------------------------------------------------------------------

_MONTHS: dict[str, int] = _DATA["months"]
_WEEKDAYS: dict[str, int] = _DATA["weekdays"]
_SEASONS: dict[str, tuple[int, int]] = {k: tuple(v) for k, v in _DATA["seasons"].items()}
_RELATIVE: list[dict] = _DATA["relative"]
_AGO_COUNTS: dict[str, int] = _DATA["ago"]["counts"]
_AGO_UNITS: dict[str, str] = _DATA["ago"]["units"]
_YEAR_MIN, _YEAR_MAX = _DATA["years"]["range"]
_INTROS = _DATA["intros"]
_MODIFIERS = _DATA["modifiers"]

# ---- precompiled patterns ----------------------------------------------------------------

_NOT_NUMBER_BEFORE = rf"(?<![\w.,/:{_HYPHENS}])"
_NOT_NUMBER_AFTER = rf"(?!\w|[.,/:{_HYPHENS}][0-9])"
_MONTH = rf"(?P<month>{_alternation(_MONTHS)})(?!\w)"
_YEAR = rf"(?P<year>[12][0-9]{{3}}){_NOT_NUMBER_AFTER}"
_REL = rf"(?:\s+(?:(?P<last>{_alternation(_MODIFIERS['last'])})|(?P<next>{_alternation(_MODIFIERS['next'])}))(?!\w))?"
_PART = rf"(?:\s+(?:{_alternation(_MODIFIERS['parts_of_day'])})(?!\w))?"
_FLAGS = re.IGNORECASE

_DAY_MONTH = re.compile(
    rf"(?<!\w)(?:(?:{_alternation(_INTROS['day'])})\s+)?"
    rf"(?:(?P<wd>{_alternation(_WEEKDAYS)})\s+)?"
    rf"{_NOT_NUMBER_BEFORE}(?P<day>1er|1re|premier|[0-9]{{1,2}})(?!\w)\s+{_MONTH}"
    rf"(?:\s+{_YEAR})?{_REL}{_PART}",
    _FLAGS,
)
_NUMERIC = re.compile(
    rf"{_NOT_NUMBER_BEFORE}(?:(?P<d>[0-9]{{1,2}})(?P<sep>[/.])(?P<m>[0-9]{{1,2}})(?P=sep)(?P<y>[0-9]{{4}})"
    rf"|(?P<iy>[0-9]{{4}})-(?P<im>[0-9]{{2}})-(?P<id>[0-9]{{2}})){_NOT_NUMBER_AFTER}",
)
_MONTH_EXPR = re.compile(
    rf"(?<!\w)(?:(?P<intro>{_alternation(_INTROS['month'])})(?:\s*[{_HYPHENS}]\s*|\s+))?"
    rf"{_MONTH}(?:\s+{_YEAR})?{_REL}",
    _FLAGS,
)
_YEAR_EXPR = re.compile(
    rf"(?<!\w)(?:(?P<intro>{_alternation(_INTROS['year'])})(?:\s*[{_HYPHENS}]\s*|\s+))?"
    rf"(?(intro)|{_NOT_NUMBER_BEFORE}){_YEAR}",
    _FLAGS,
)
# The article is required: "été" alone is also the participle ("a été passé en revue").
_SEASON_EXPR = re.compile(
    rf"(?<!\w)(?P<intro>{_alternation(_INTROS['season'])})\s*"
    rf"(?P<season>{_alternation(_SEASONS)})(?!\w)(?:\s+{_YEAR}|{_REL})",
    _FLAGS,
)
_WEEKDAY_EXPR = re.compile(
    rf"(?<!\w)(?:(?:{_alternation(_INTROS['weekday'])})\s+)?(?P<wd>{_alternation(_WEEKDAYS)})(?!\w)"
    rf"{_REL}{_PART}",
    _FLAGS,
)
_RELATIVE_EXPR = re.compile(
    "(?<!\\w)(?:"
    + "|".join(f"(?P<r{i}>{_alternation(entry['phrases'])})" for i, entry in enumerate(_RELATIVE))
    + f")(?!\\w){_PART}",
    _FLAGS,
)
_AGO_EXPR = re.compile(
    rf"(?<!\w)il\s+y\s+a\s+(?P<n>[0-9]{{1,3}}|{_alternation(_AGO_COUNTS)})\s+"
    rf"(?P<unit>{_alternation(_AGO_UNITS)})(?!\w)",
    _FLAGS,
)

_RELATIVE_NOT_AFTER = [
    re.compile(rf"(?<!\w)(?:{_alternation(entry['not_after'])})\s*$", _FLAGS) if entry.get("not_after") else None
    for entry in _RELATIVE
]
_THIS = {_key(w) for w in _INTROS["this"]}
_CONTEXT_BEFORE = re.compile(rf"(?<!\w)(?:{_alternation(_INTROS['context'])})\s*$", _FLAGS)
_YEAR_AND_BEFORE = re.compile(rf"(?<![0-9])[12][0-9]{{3}}\s+(?:et|à|au|ou)\s+$", _FLAGS)
_NOT_AFTER = re.compile(rf"(?<!\w)(?:{_alternation(_INTROS['not_after'])})\s*$", _FLAGS)
_QUANTITY_AFTER = re.compile(r"\s*(?:%|millions?|milliards?|mille|milliers)(?!\w)", _FLAGS)
_WINDOW = 30
# A weekday that contradicts the usual year may pick another year, but only this close to the reference.
_WEEKDAY_CHECK_DAYS = 183

# Every date expression contains a "core" word (month, weekday, season, "hier", "mois"...) or a
# 4-digit number; the patterns run only in a window around each core.
_NOT_CORE = {
    "ce", "cet", "cette", "le", "la", "l", "les", "de", "d", "un", "une", "en", "il", "y", "a", "au",
    "après", "dernier", "dernière", "passé", "passée", "prochain", "prochaine", "ci",
}
_CORE_WORDS = frozenset(
    token
    for phrase in [
        *_MONTHS, *_WEEKDAYS, *_SEASONS, *_AGO_UNITS,
        *(p for entry in _RELATIVE for p in entry["phrases"]),
    ]
    for token in re.findall(r"\w+", phrase.lower())
    if token not in _NOT_CORE
)
_WORD_RE = re.compile(r"\w+")
_FOUR_DIGITS = re.compile(r"[0-9]+")  # runs; those of 4 digits are years or parts of dates
_TO_WHITESPACE = re.compile(r"\S*")
_MARGIN = 50  # characters around a core that a date expression can reach


# ---- readings: what the text says, before resolution -------------------------------------


@dataclass(frozen=True)
class _Reading:
    # "invalid" | "date" | "day_month" | "year_month" | "month" | "year" | "season" | "weekday"
    # | "relative" | "ago"
    kind: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    mode: str | None = None  # "last" | "next" | "ahead" (on or after the reference) | None
    amount: int = 0
    unit: str | None = None  # "day" | "week" | "month" | "year" | "weekend"
    season: tuple[int, int] | None = None


# The readings a sentence about the future turns forward (a season always has its own mode).
_AHEAD_KINDS = frozenset({"day_month", "month", "weekday"})

# A date-shaped expression that names no real day: it takes its span, and gives no date.
_INVALID = _Reading("invalid")


def _mode(m: re.Match) -> str | None:
    if m.group("last"):
        return "last"
    if m.group("next"):
        return "next"
    return None


def _day_number(text: str) -> int:
    return 1 if not text.isdigit() else int(text)


def _valid_day(month: int, day: int, year: int = 2000) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def _year_context_ok(text: str, start: int) -> bool:
    """A bare year needs a temporal word right before it, and no quantity qualifier."""
    window = max(0, start - _WINDOW)
    if _NOT_AFTER.search(text, window, start):
        return False
    return bool(_CONTEXT_BEFORE.search(text, window, start) or _YEAR_AND_BEFORE.search(text, window, start))


def _read_day_month(text: str, m: re.Match) -> _Reading | None:
    day, month = _day_number(m.group("day")), _MONTHS[_key(m.group("month"))]
    year = int(m.group("year")) if m.group("year") else None
    if not _valid_day(month, day, 2000 if year is None else year):
        return _INVALID  # "le 31 juin 2024": no date, and no "juin 2024" read out of it either
    if year is not None:
        return _Reading("date", year=year, month=month, day=day)
    weekday = _WEEKDAYS[_key(m.group("wd"))] if m.group("wd") else None
    return _Reading("day_month", month=month, day=day, weekday=weekday, mode=_mode(m))


def _read_numeric(text: str, m: re.Match) -> _Reading | None:
    if m.group("iy"):
        year, month, day = int(m.group("iy")), int(m.group("im")), int(m.group("id"))
    else:
        year, month, day = int(m.group("y")), int(m.group("m")), int(m.group("d"))
    if not _valid_day(month, day, year):
        return _INVALID
    return _Reading("date", year=year, month=month, day=day)


def _read_month(text: str, m: re.Match) -> _Reading | None:
    month = _MONTHS[_key(m.group("month"))]
    if m.group("year"):
        return _Reading("year_month", year=int(m.group("year")), month=month)
    mode = _mode(m)
    if not (m.group("intro") or mode or _CONTEXT_BEFORE.search(text, max(0, m.start() - _WINDOW), m.start())):
        return None  # a bare month name ("Mars") is too often something else
    return _Reading("month", month=month, mode=mode)


def _read_year(text: str, m: re.Match) -> _Reading | None:
    year = int(m.group("year"))
    if not _YEAR_MIN <= year <= _YEAR_MAX or _QUANTITY_AFTER.match(text, m.end()):
        return None
    if not m.group("intro") and not _year_context_ok(text, m.start()):
        return None
    return _Reading("year", year=year)


def _read_season(text: str, m: re.Match) -> _Reading | None:
    if m.group("year"):
        year = int(m.group("year"))
        return _Reading("year", year=year) if _YEAR_MIN <= year <= _YEAR_MAX else None
    mode = _mode(m)
    if mode is None:
        if _key(m.group("intro")) not in _THIS:
            return None  # "l'été" alone: which one?
        mode = "this"
    return _Reading("season", season=_SEASONS[_key(m.group("season"))], mode=mode)


def _read_weekday(text: str, m: re.Match) -> _Reading | None:
    return _Reading("weekday", weekday=_WEEKDAYS[_key(m.group("wd"))], mode=_mode(m))


def _read_relative(text: str, m: re.Match) -> _Reading | None:
    entry = _RELATIVE[int(m.lastgroup[1:])]
    if entry.get("not_after") and _RELATIVE_NOT_AFTER[int(m.lastgroup[1:])].search(
        text, max(0, m.start() - _WINDOW), m.start()
    ):
        return None  # "l'Europe de demain", "la Russie d'aujourd'hui": not a day
    for unit in ("days", "months", "years"):
        if unit in entry:
            return _Reading("relative", amount=int(entry[unit]), unit=unit[:-1])
    return _Reading("relative", unit="weekend", mode=entry["weekend"])


def _read_ago(text: str, m: re.Match) -> _Reading | None:
    n = m.group("n")
    amount = int(n) if n.isdigit() else _AGO_COUNTS[_key(n)]
    return _Reading("ago", amount=amount, unit=_AGO_UNITS[_key(m.group("unit"))])


_READERS = (
    (_DAY_MONTH, _read_day_month),
    (_NUMERIC, _read_numeric),
    (_MONTH_EXPR, _read_month),
    (_YEAR_EXPR, _read_year),
    (_SEASON_EXPR, _read_season),
    (_WEEKDAY_EXPR, _read_weekday),
    (_RELATIVE_EXPR, _read_relative),
    (_AGO_EXPR, _read_ago),
)


# ---- resolution --------------------------------------------------------------------------


def _as_date(d: datetime.date) -> DateValue:
    return DateValue(d.isoformat(), "date")


def _as_year_month(year: int, month: int) -> DateValue:
    return DateValue(f"{year:04d}-{month:02d}", "gYearMonth")


def _as_year(year: int) -> DateValue:
    return DateValue(f"{year:04d}", "gYear")


def _shift_month(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _safe_date(year: int, month: int, day: int) -> datetime.date | None:
    if datetime.MINYEAR <= year <= datetime.MAXYEAR and _valid_day(month, day, year):
        return datetime.date(year, month, day)
    return None


def _resolve_day_month(r: _Reading, ref: datetime.date | None) -> DateValue | None:
    month_day = DateValue(f"--{r.month:02d}-{r.day:02d}", "gMonthDay")
    if ref is None:
        return month_day
    step = 1 if r.mode in ("next", "ahead") else -1
    chosen = None
    for offset in range(9):  # 29 February needs up to 8 years
        d = _safe_date(ref.year + step * offset, r.month, r.day)
        if d and ((d >= ref) if step == 1 else (d <= ref)):
            chosen = d
            break
    if chosen is None:
        return month_day
    if r.weekday is not None and chosen.weekday() != r.weekday:
        matching = [
            d for y in (ref.year - 1, ref.year, ref.year + 1)
            if (d := _safe_date(y, r.month, r.day))
            and d.weekday() == r.weekday
            and abs((d - ref).days) <= _WEEKDAY_CHECK_DAYS
        ]
        if not matching:
            return month_day
        chosen = min(matching, key=lambda d: (abs((d - ref).days), d))
    return _as_date(chosen)


def _resolve_month(r: _Reading, ref: datetime.date) -> DateValue:
    if r.mode == "last":
        year = ref.year if r.month < ref.month else ref.year - 1
    elif r.mode == "next":
        year = ref.year if r.month > ref.month else ref.year + 1
    elif r.mode == "ahead":
        year = ref.year if r.month >= ref.month else ref.year + 1
    else:
        year = ref.year if r.month <= ref.month else ref.year - 1
    return _as_year_month(year, r.month)


def _resolve_season(r: _Reading, ref: datetime.date) -> DateValue | None:
    first, last = r.season
    if first > last:
        return None  # winter spans two years
    if r.mode == "last":
        return _as_year(ref.year if ref.month > last else ref.year - 1)
    if r.mode == "next":
        return _as_year(ref.year if ref.month < first else ref.year + 1)
    return _as_year(ref.year)  # "cet été"


def _resolve_weekday(r: _Reading, ref: datetime.date) -> DateValue:
    if r.mode == "next":
        return _as_date(ref + datetime.timedelta(days=(r.weekday - ref.weekday()) % 7 or 7))
    if r.mode == "ahead":
        return _as_date(ref + datetime.timedelta(days=(r.weekday - ref.weekday()) % 7))
    back = (ref.weekday() - r.weekday) % 7
    if r.mode == "last" and back == 0:
        back = 7
    return _as_date(ref - datetime.timedelta(days=back))


def _resolve_relative(r: _Reading, ref: datetime.date) -> DateValue:
    if r.unit == "day":
        return _as_date(ref + datetime.timedelta(days=r.amount))
    if r.unit == "month":
        return _as_year_month(*_shift_month(ref.year, ref.month, r.amount))
    if r.unit == "year":
        return _as_year(ref.year + r.amount)
    saturday = ref - datetime.timedelta(days=(ref.weekday() - 5) % 7)
    if r.mode == "previous" and ref.weekday() >= 5:
        saturday -= datetime.timedelta(days=7)
    return _as_date(saturday)


def _resolve_ago(r: _Reading, ref: datetime.date) -> DateValue | None:
    if r.unit == "day":
        return _as_date(ref - datetime.timedelta(days=r.amount))
    if r.unit == "week":
        d = ref - datetime.timedelta(days=7 * r.amount)
        return _as_year_month(d.year, d.month)
    if r.unit == "month":
        return _as_year_month(*_shift_month(ref.year, ref.month, -r.amount))
    return _as_year(ref.year - r.amount)


def _resolve(r: _Reading, ref: datetime.date | None) -> DateValue | None:
    if r.kind == "invalid":
        return None
    if r.kind == "date":
        return _as_date(datetime.date(r.year, r.month, r.day))
    if r.kind == "year_month":
        return _as_year_month(r.year, r.month)
    if r.kind == "year":
        return _as_year(r.year)
    if r.kind == "day_month":
        return _resolve_day_month(r, ref)
    if ref is None:
        return None  # everything else is relative to the article's date
    try:
        if r.kind == "month":
            return _resolve_month(r, ref)
        if r.kind == "season":
            return _resolve_season(r, ref)
        if r.kind == "weekday":
            return _resolve_weekday(r, ref)
        if r.kind == "relative":
            return _resolve_relative(r, ref)
        return _resolve_ago(r, ref)
    except OverflowError:  # a reference at the edge of the calendar
        return None


# ---- public API --------------------------------------------------------------------------


def _check(text: object, reference: object) -> datetime.date | None:
    if not isinstance(text, str):
        raise TypeError(f"expected a str of French text, got {type(text).__name__}")
    if reference is None:
        return None
    if isinstance(reference, datetime.datetime):
        return reference.date()
    if isinstance(reference, datetime.date):
        return reference
    raise TypeError(f"reference must be a datetime.date or None, got {type(reference).__name__}")


def _windows(text: str) -> list[tuple[int, int]]:
    """Merged windows around the cores of `text`, each ending at whitespace or the text's end so
    that look-aheads at its end see what the whole text would show."""
    low = text.lower()
    cores = [(m.start(), m.end()) for m in _FOUR_DIGITS.finditer(text) if m.end() - m.start() == 4]
    present = _CORE_WORDS.intersection(_WORD_RE.findall(low))
    if present and len(low) != len(text):  # lower() changed offsets: one window over everything
        return [(0, len(text))]
    for word in present:
        i = low.find(word)
        while i >= 0:
            cores.append((i, i + len(word)))
            i = low.find(word, i + len(word))
    windows: list[tuple[int, int]] = []
    for start, end in sorted(cores):
        low_edge = max(0, start - _MARGIN)
        high_edge = _TO_WHITESPACE.match(text, min(len(text), end + _MARGIN)).end()
        if windows and low_edge <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], high_edge))
        else:
            windows.append((low_edge, high_edge))
    return windows


def _readings(text: str, windows: list[tuple[int, int]]) -> list[tuple[int, int, _Reading]]:
    """Every expression the patterns read in `windows`, longest first at each start."""
    readings = {}
    for low_edge, high_edge in windows:
        for index, (pattern, read) in enumerate(_READERS):
            for m in pattern.finditer(text, low_edge, high_edge):
                reading = read(text, m)
                if reading is not None:
                    readings.setdefault((m.start(), -m.end(), index), reading)
    return [(start, -neg_end, readings[(start, neg_end, i)]) for start, neg_end, i in sorted(readings)]


def find_dates(text: str, reference: datetime.date | None = None, *,
               ahead: bool = False) -> list[tuple[int, int, DateValue]]:
    """Date expressions in `text` as (start, end, DateValue), resolved against `reference` (the
    article's publication date) when given. Offsets slice `text`; sorted; non-overlapping; the
    longest expression wins, and one that cannot be resolved is left out. `ahead`: the text
    speaks of what is to come, so a day, month or weekday without "dernier"/"prochain" is the
    first on or after the reference, not the last on or before it."""
    ref = _check(text, reference)
    windows = _windows(text)
    if not windows:
        return []
    found: list[tuple[int, int, DateValue]] = []
    taken_until = 0
    for start, end, reading in _readings(text, windows):
        if start < taken_until:
            continue
        taken_until = end
        if ahead and reading.mode is None and reading.kind in _AHEAD_KINDS:
            reading = dataclasses.replace(reading, mode="ahead")
        value = _resolve(reading, ref)
        if value is not None:
            found.append((start, end, value))
    return found


_DATE_WORD_START = re.compile(
    rf"\s*(?:(?:le|la|l['’])\s*)?(?:{_alternation(_MONTHS)}|{_alternation(_WEEKDAYS)}|{_alternation(_SEASONS)}"
    rf"|1er|[0-9]{{1,2}}\s+{_MONTH}|[12][0-9]{{3}})(?!\w)",
    _FLAGS,
)


def starts_with_date_word(text: str) -> bool:
    """Whether `text` begins with a month, weekday, season, day of a month or year, read or not
    ("octobre" after "d'août à" is no date on its own: it needs a temporal word before it)."""
    if not isinstance(text, str):
        raise TypeError(f"expected a str of French text, got {type(text).__name__}")
    return bool(_DATE_WORD_START.match(text))


def parse_date(text: str, reference: datetime.date | None = None) -> DateValue | None:
    """The date that is the whole of `text` (surrounding whitespace ignored), else None."""
    _check(text, reference)
    stripped = text.strip()
    found = find_dates(stripped, reference)
    if len(found) == 1 and found[0][0] == 0 and found[0][1] == len(stripped):
        return found[0][2]
    return None
