"""kg.dates: French dates, only as precise as the text, resolved against the article's date."""
from __future__ import annotations

import datetime
import re
import timeit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg import dates
from kg.dates import find_dates, parse_date
from kg.model import DateValue

FAST = settings(max_examples=200, deadline=None)

# A Wednesday.
REF = datetime.date(2024, 11, 20)


def readings(text: str, reference: datetime.date | None = None) -> list[tuple[str, str, str]]:
    """find_dates as (slice of the text, lexical form, datatype)."""
    return [(text[s:e], v.lexical, v.datatype) for s, e, v in find_dates(text, reference)]


# ---- absolute dates: the same with or without a reference --------------------------------

ABSOLUTE = [
    ("Il est arrivé le 19 juin 2024 à Pyongyang.", [("le 19 juin 2024", "2024-06-19", "date")]),
    ("Le texte entre en vigueur le 1er juillet 2025.", [("le 1er juillet 2025", "2025-07-01", "date")]),
    ("Depuis le 1er août 2024, les convois circulent.", [("le 1er août 2024", "2024-08-01", "date")]),
    ("Il signe le premier mars 2023.", [("le premier mars 2023", "2023-03-01", "date")]),
    ("La visite a eu lieu en juin 2024.", [("en juin 2024", "2024-06", "gYearMonth")]),
    ("Juin 2024 restera dans les mémoires.", [("Juin 2024", "2024-06", "gYearMonth")]),
    ("Le traité a été signé en 2024.", [("en 2024", "2024", "gYear")]),
    ("Une réunion avait eu lieu en 2019.", [("en 2019", "2019", "gYear")]),
    ("La région a été occupée durant l'été 2024.", [("l'été 2024", "2024", "gYear")]),
    ("La région a été occupée durant l’été 2024.", [("l’été 2024", "2024", "gYear")]),
    ("Il a cédé au printemps 2023.", [("au printemps 2023", "2023", "gYear")]),
    ("Il a cédé à l'automne 2022.", [("l'automne 2022", "2022", "gYear")]),
    ("Il a cédé l'hiver 2023.", [("l'hiver 2023", "2023", "gYear")]),
    ("Il a cédé le printemps 2022.", [("le printemps 2022", "2022", "gYear")]),
    ("Les livraisons reprendront dès 2025.", [("2025", "2025", "gYear")]),
    ("Les livraisons ont repris début 2025.", [("début 2025", "2025", "gYear")]),
    ("Le texte a été rédigé début novembre 2024.", [("début novembre 2024", "2024-11", "gYearMonth")]),
    ("Le texte a été rédigé fin 2023.", [("fin 2023", "2023", "gYear")]),
    ("Le texte sera prêt mi-juillet 2025.", [("mi-juillet 2025", "2025-07", "gYearMonth")]),
    ("Le texte sera prêt à la mi-juillet 2025.", [("à la mi-juillet 2025", "2025-07", "gYearMonth")]),
    ("Le texte sera prêt mi-2025.", [("mi-2025", "2025", "gYear")]),
    ("Le texte daté du 19/06/2024 est public.", [("19/06/2024", "2024-06-19", "date")]),
    ("Le texte daté du 19.06.2024 est public.", [("19.06.2024", "2024-06-19", "date")]),
    ("Le texte daté du 2024-06-19 est public.", [("2024-06-19", "2024-06-19", "date")]),
    ("Des liens renforcés depuis 2024.", [("2024", "2024", "gYear")]),
    ("Les accords du sommet de 2024 sont appliqués.", [("2024", "2024", "gYear")]),
    ("Le projet doit aboutir d'ici 2030.", [("2030", "2030", "gYear")]),
    ("Les échanges ont crû entre 2019 et 2024.", [("2019", "2019", "gYear"), ("2024", "2024", "gYear")]),
    ("Il a signé le 12 juillet 2024 à 10 h.", [("le 12 juillet 2024", "2024-07-12", "date")]),
    ("Il a signé samedi 12 juillet 2025.", [("samedi 12 juillet 2025", "2025-07-12", "date")]),
    ("Il a signé le 12 JUILLET 2025.", [("le 12 JUILLET 2025", "2025-07-12", "date")]),
    ("Il a signé le 29 février 2024.", [("le 29 février 2024", "2024-02-29", "date")]),
    ("Il a signé le 29 fevrier 2024 et le 3 aout 2024.", [
        ("le 29 fevrier 2024", "2024-02-29", "date"), ("le 3 aout 2024", "2024-08-03", "date"),
    ]),
]


@pytest.mark.parametrize("text, expected", ABSOLUTE)
def test_dates_absolute_forms_without_reference(text, expected):
    assert readings(text) == expected


@pytest.mark.parametrize("text, expected", ABSOLUTE)
def test_dates_absolute_forms_ignore_the_reference(text, expected):
    assert readings(text, REF) == expected


# ---- relative dates, resolved against REF (Wednesday 20 November 2024) --------------------

RELATIVE = [
    # day and month without year: this year unless after the reference
    ("Il l'a reçu le 19 juin.", REF, [("le 19 juin", "2024-06-19", "date")]),
    ("Il l'a reçu le 19 décembre.", REF, [("le 19 décembre", "2023-12-19", "date")]),
    ("Il l'a reçu le 20 novembre.", REF, [("le 20 novembre", "2024-11-20", "date")]),
    ("Il l'a reçu le 19 juin dernier.", REF, [("le 19 juin dernier", "2024-06-19", "date")]),
    ("Il l'a reçu le 21 novembre dernier.", REF, [("le 21 novembre dernier", "2023-11-21", "date")]),
    ("Il viendra le 19 juin prochain.", REF, [("le 19 juin prochain", "2025-06-19", "date")]),
    ("Il l'a reçu le 29 février.", datetime.date(2025, 3, 1), [("le 29 février", "2024-02-29", "date")]),
    # weekday + day + month: the weekday checks the year
    ("Il a parlé samedi 12 juillet.", datetime.date(2025, 7, 14), [("samedi 12 juillet", "2025-07-12", "date")]),
    ("Il parlera samedi 12 juillet.", datetime.date(2025, 7, 10), [("samedi 12 juillet", "2025-07-12", "date")]),
    ("Il a parlé vendredi 12 juillet.", datetime.date(2025, 7, 14), [("vendredi 12 juillet", "--07-12", "gMonthDay")]),
    ("Il a parlé vendredi 12 juillet.", datetime.date(2024, 12, 1), [("vendredi 12 juillet", "2024-07-12", "date")]),
    ("Il a parlé lundi 12 juillet.", datetime.date(2025, 7, 14), [("lundi 12 juillet", "--07-12", "gMonthDay")]),
    # months
    ("Un accord signé en octobre dernier.", REF, [("en octobre dernier", "2024-10", "gYearMonth")]),
    ("Un accord signé en octobre dernier.", datetime.date(2024, 10, 5), [("en octobre dernier", "2023-10", "gYearMonth")]),
    ("Un accord signé en octobre.", datetime.date(2024, 10, 5), [("en octobre", "2024-10", "gYearMonth")]),
    ("Un accord signé en décembre.", REF, [("en décembre", "2023-12", "gYearMonth")]),
    ("Début novembre, il a averti Séoul.", REF, [("Début novembre", "2024-11", "gYearMonth")]),
    ("Il partira à la mi-juillet.", REF, [("à la mi-juillet", "2024-07", "gYearMonth")]),
    ("Les convois circulent depuis octobre.", REF, [("octobre", "2024-10", "gYearMonth")]),
    ("Un sommet est prévu en janvier prochain.", REF, [("en janvier prochain", "2025-01", "gYearMonth")]),
    # weekdays
    ("Le ministre est arrivé ce vendredi.", REF, [("ce vendredi", "2024-11-15", "date")]),
    ("Le ministre est arrivé samedi.", REF, [("samedi", "2024-11-16", "date")]),
    ("Le ministre est arrivé mercredi.", REF, [("mercredi", "2024-11-20", "date")]),
    ("Le ministre est arrivé mercredi dernier.", REF, [("mercredi dernier", "2024-11-13", "date")]),
    ("Le ministre viendra samedi prochain.", REF, [("samedi prochain", "2024-11-23", "date")]),
    ("Il est parti dimanche matin.", REF, [("dimanche matin", "2024-11-17", "date")]),
    # relative words
    ("Il a parlé hier.", REF, [("hier", "2024-11-19", "date")]),
    ("Il a parlé hier soir.", REF, [("hier soir", "2024-11-19", "date")]),
    ("Il a parlé avant-hier.", REF, [("avant-hier", "2024-11-18", "date")]),
    ("Il parle aujourd'hui.", REF, [("aujourd'hui", "2024-11-20", "date")]),
    ("Il parle aujourd’hui.", REF, [("aujourd’hui", "2024-11-20", "date")]),
    ("Il parlera demain.", REF, [("demain", "2024-11-21", "date")]),
    ("Ce week-end, il a reçu son homologue.", REF, [("Ce week-end", "2024-11-16", "date")]),
    ("Ce week-end, il a reçu son homologue.", datetime.date(2024, 11, 17), [("Ce week-end", "2024-11-16", "date")]),
    ("Le week-end dernier, il a reçu son homologue.", datetime.date(2024, 11, 17), [("Le week-end dernier", "2024-11-09", "date")]),
    ("Le week-end dernier, il a reçu son homologue.", REF, [("Le week-end dernier", "2024-11-16", "date")]),
    ("Il est parti il y a trois jours.", REF, [("il y a trois jours", "2024-11-17", "date")]),
    ("Il est parti il y a 3 jours.", REF, [("il y a 3 jours", "2024-11-17", "date")]),
    ("Il est parti il y a deux semaines.", REF, [("il y a deux semaines", "2024-11", "gYearMonth")]),
    ("Il est parti il y a trois semaines.", REF, [("il y a trois semaines", "2024-10", "gYearMonth")]),
    ("Il est parti il y a deux mois.", REF, [("il y a deux mois", "2024-09", "gYearMonth")]),
    ("Il est parti il y a un an.", REF, [("il y a un an", "2023", "gYear")]),
    ("Il est parti le mois dernier.", REF, [("le mois dernier", "2024-10", "gYearMonth")]),
    ("Il est parti le mois dernier.", datetime.date(2024, 1, 3), [("le mois dernier", "2023-12", "gYearMonth")]),
    ("Il est parti l'an dernier.", REF, [("l'an dernier", "2023", "gYear")]),
    ("Il est parti l’année dernière.", REF, [("l’année dernière", "2023", "gYear")]),
    ("Il partira cette année.", REF, [("cette année", "2024", "gYear")]),
    ("Il partira l'année prochaine.", REF, [("l'année prochaine", "2025", "gYear")]),
    ("Il est venu l'été dernier.", REF, [("l'été dernier", "2024", "gYear")]),
    ("Il est venu l'été dernier.", datetime.date(2024, 7, 1), [("l'été dernier", "2023", "gYear")]),
    ("Il viendra cet été.", REF, [("cet été", "2024", "gYear")]),
    ("Il a parlé en 2019 et hier.", REF, [("en 2019", "2019", "gYear"), ("hier", "2024-11-19", "date")]),
    ("Il a parlé hier.", datetime.datetime(2024, 11, 20, 23, 59), [("hier", "2024-11-19", "date")]),
]


@pytest.mark.parametrize("text, reference, expected", RELATIVE)
def test_dates_relative_forms_resolve_against_the_reference(text, reference, expected):
    assert readings(text, reference) == expected


# said of what is to come (`ahead=True`): a bare day, month or weekday is the next one, the
# reference day included; "dernier"/"prochain", years and words like "hier" keep their meaning
AHEAD = [
    ("Les deux ministres doivent se voir vendredi.", REF, [("vendredi", "2024-11-22", "date")]),
    ("Les deux ministres doivent se voir lundi.", REF, [("lundi", "2024-11-25", "date")]),
    ("Les deux ministres doivent se voir mercredi.", REF, [("mercredi", "2024-11-20", "date")]),
    ("Le sommet se tiendra le 3 décembre.", REF, [("le 3 décembre", "2024-12-03", "date")]),
    ("Le sommet se tiendra le 2 février.", REF, [("le 2 février", "2025-02-02", "date")]),
    ("Le sommet se tiendra le 20 novembre.", REF, [("le 20 novembre", "2024-11-20", "date")]),
    ("Le sommet se tiendra en mars.", REF, [("en mars", "2025-03", "gYearMonth")]),
    ("Le sommet se tiendra en novembre.", REF, [("en novembre", "2024-11", "gYearMonth")]),
    ("Le sommet se tiendra mercredi prochain.", REF, [("mercredi prochain", "2024-11-27", "date")]),
    ("Il devait venir mercredi dernier.", REF, [("mercredi dernier", "2024-11-13", "date")]),
    ("Il doit venir en mars 2023.", REF, [("en mars 2023", "2023-03", "gYearMonth")]),
    ("Il devait venir hier.", REF, [("hier", "2024-11-19", "date")]),
    ("Il viendra cet été.", REF, [("cet été", "2024", "gYear")]),
]


@pytest.mark.parametrize("text, reference, expected", AHEAD)
def test_dates_ahead_reads_the_next_day_month_or_weekday(text, reference, expected):
    assert [(text[s:e], v.lexical, v.datatype) for s, e, v in find_dates(text, reference, ahead=True)] == expected


def test_dates_ahead_without_reference_changes_nothing():
    text = "Ils doivent se voir samedi 12 juillet, puis en octobre."
    assert find_dates(text, None, ahead=True) == find_dates(text, None)


@pytest.mark.parametrize("text, expected", [
    ("octobre, ils partent", True), ("le 3 mars", True), ("l'automne", True), ("2024", True), ("mardi", True),
    ("Pyongyang", False), ("12 soldats", False), ("", False), ("marsouin", False),
])
def test_dates_starts_with_date_word(text, expected):
    assert dates.starts_with_date_word(text) is expected


WITHOUT_REFERENCE = [
    ("Il l'a reçu le 19 juin.", [("le 19 juin", "--06-19", "gMonthDay")]),
    ("Il l'a reçu le 19 juin dernier.", [("le 19 juin dernier", "--06-19", "gMonthDay")]),
    ("Il a parlé samedi 12 juillet.", [("samedi 12 juillet", "--07-12", "gMonthDay")]),
    ("Un accord signé en octobre dernier.", []),
    ("Un accord signé en octobre.", []),
    ("Le ministre est arrivé samedi.", []),
    ("Le ministre est arrivé ce vendredi.", []),
    ("Il a parlé hier.", []),
    ("Il parle aujourd'hui.", []),
    ("Ce week-end, il a reçu son homologue.", []),
    ("Il est parti il y a trois jours.", []),
    ("Il est parti le mois dernier.", []),
    ("Il est parti l'an dernier.", []),
    ("Il partira cette année.", []),
    ("Il est venu l'été dernier.", []),
    ("Il a parlé hier, en 2019.", [("en 2019", "2019", "gYear")]),
]


@pytest.mark.parametrize("text, expected", WITHOUT_REFERENCE)
def test_dates_relative_forms_without_reference_are_left_out(text, expected):
    assert readings(text) == expected


# ---- not dates ---------------------------------------------------------------------------

NOT_DATES = [
    "Moscou aurait reçu 12 millions d'obus.",
    "Des obus de 152 mm ont été livrés.",
    "Le port a reçu 28 000 conteneurs.",
    "Il a envoyé plus de 2000 soldats.",
    "Le budget atteint 2024 millions.",
    "Le chiffre 2024 circule.",
    "La semaine dernière, il a parlé.",
    "Il est resté deux ans à Moscou.",
    "Mars reste une planète lointaine.",
    "Les soldats ont été passés en revue.",
    "L'Europe de demain se construit.",
    "La Russie d'aujourd'hui inquiète.",
    "L'été, il fait chaud.",
    "Il l'a reçu le 31 juin 2024.",
    "Il l'a reçu le 31 juin.",
    "Le texte daté du 31/02/2024 est faux.",
    "Des missiles KN-2024 ont été tirés.",
    "La saison 2024-2025 commence.",
    "Il hiérarchise les mardis gras.",
    "",
]


@pytest.mark.parametrize("text", NOT_DATES)
def test_dates_skips_what_is_not_a_date(text):
    assert find_dates(text, REF) == []


def test_dates_sentence_with_several_forms():
    text = (
        "Depuis la signature d’un accord en octobre dernier, Pyongyang aurait livré près de "
        "12 millions d’obus ; le 19 juin, durant l’été 2024, Moscou a confirmé ce samedi."
    )
    assert readings(text, REF) == [
        ("en octobre dernier", "2024-10", "gYearMonth"),
        ("le 19 juin", "2024-06-19", "date"),
        ("l’été 2024", "2024", "gYear"),
        ("ce samedi", "2024-11-16", "date"),
    ]
    assert readings(text) == [("le 19 juin", "--06-19", "gMonthDay"), ("l’été 2024", "2024", "gYear")]


# ---- parse_date --------------------------------------------------------------------------

PARSE = [
    ("19 juin 2024", None, DateValue("2024-06-19", "date")),
    ("  le 1er juillet 2025 ", None, DateValue("2025-07-01", "date")),
    ("en 2024", None, DateValue("2024", "gYear")),
    ("l'été 2024", None, DateValue("2024", "gYear")),
    ("le 19 juin", None, DateValue("--06-19", "gMonthDay")),
    ("le 19 juin", REF, DateValue("2024-06-19", "date")),
    ("samedi", REF, DateValue("2024-11-16", "date")),
    ("samedi", None, None),
    ("2024", None, None),
    ("le 19 juin à Moscou", None, None),
    ("hier et avant-hier", REF, None),
    ("", None, None),
]


@pytest.mark.parametrize("text, reference, expected", PARSE)
def test_dates_parse_accepts_only_a_whole_expression(text, reference, expected):
    assert parse_date(text, reference) == expected


# ---- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize("function", [find_dates, parse_date])
def test_dates_rejects_non_text(function):
    with pytest.raises(TypeError, match="^expected a str of French text, got bytes$"):
        function(b"le 19 juin")


@pytest.mark.parametrize("function", [find_dates, parse_date])
def test_dates_rejects_a_reference_that_is_not_a_date(function):
    with pytest.raises(TypeError, match="^reference must be a datetime.date or None, got str$"):
        function("hier", "2024-11-20")


# ---- properties --------------------------------------------------------------------------


def _check_spans(text: str, spans) -> None:
    previous_end = 0
    for start, end, value in spans:
        assert previous_end <= start < end <= len(text)
        assert value.datatype in ("date", "gYearMonth", "gYear", "gMonthDay")
        previous_end = end


@FAST
@given(st.text(), st.none() | st.dates())
def test_dates_never_raise_and_spans_fit(text, reference):
    _check_spans(text, find_dates(text, reference))
    parse_date(text, reference)


FRAGMENTS = st.sampled_from([
    "le", "19", "juin", "2024", "dernier", "samedi", "en", "octobre", "hier", "l'été", "début",
    "mi-", "ce", "week-end", "il y a", "trois", "jours", "12 millions", "28 000", "depuis", "de",
    "1er", "/", "06", "prochain", "soir", "cette année", "l’an dernier", "plus de", "2000",
    "Le ministre a rencontré son homologue dans un contexte de fortes tensions régionales",
])


@FAST
@given(
    st.lists(FRAGMENTS, max_size=14).map(" ".join),
    st.none() | st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2100, 1, 1)),
)
def test_dates_windows_find_what_a_full_scan_finds(text, reference):
    spans = find_dates(text, reference)
    _check_spans(text, spans)
    everything = dates._readings(text, [(0, len(text))])
    assert dates._readings(text, dates._windows(text)) == everything


_MONTH_NAMES = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                "septembre", "octobre", "novembre", "décembre"]


@FAST
@given(
    st.dates(min_value=datetime.date(1000, 1, 1), max_value=datetime.date(2999, 12, 31)),
    st.none() | st.dates(),
    st.booleans(),
)
def test_dates_day_month_year_parse_back(day, reference, ordinal):
    written_day = "1er" if ordinal and day.day == 1 else str(day.day)
    text = f"{written_day} {_MONTH_NAMES[day.month - 1]} {day.year}"
    assert parse_date(text, reference) == DateValue(day.isoformat(), "date")
    assert readings(f"Il est arrivé le {text} à Moscou.", reference) == [(f"le {text}", day.isoformat(), "date")]


@FAST
@given(st.dates(min_value=datetime.date(1901, 1, 1), max_value=datetime.date(2099, 12, 31)))
def test_dates_day_month_never_after_the_reference(reference):
    for month in range(1, 13):
        value = parse_date(f"le 28 {_MONTH_NAMES[month - 1]}", reference)
        resolved = datetime.date.fromisoformat(value.lexical)
        assert resolved <= reference
        assert (resolved.month, resolved.day) == (month, 28)
        assert reference - resolved < datetime.timedelta(days=366)


# ---- speed -------------------------------------------------------------------------------

PLAIN_SENTENCE = (
    "Le ministre des Affaires étrangères a rencontré son homologue lors d'une visite officielle "
    "chargée de symboles, où les dirigeants ont réaffirmé leur soutien inconditionnel à tous les "
    "objectifs de l'opération militaire, selon les médias officiels, dans un contexte de tensions "
    "croissantes avec 28 000 soldats."
)


def test_dates_compile_no_regex_per_call(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a regex was compiled or looked up at call time")

    for name in ("compile", "search", "match", "fullmatch", "findall", "finditer", "sub", "split", "_compile"):
        monkeypatch.setattr(re, name, refuse)
    assert readings("Il est arrivé le 19 juin dernier et hier, en 2024.", REF) == [
        ("le 19 juin dernier", "2024-06-19", "date"),
        ("hier", "2024-11-19", "date"),
        ("en 2024", "2024", "gYear"),
    ]
    assert find_dates(PLAIN_SENTENCE, REF) == []


def test_dates_plain_sentence_is_fast():
    # The target is well under 100 µs; the bound leaves room for a loaded test machine.
    seconds = min(timeit.repeat(lambda: find_dates(PLAIN_SENTENCE, REF), number=200, repeat=3)) / 200
    assert seconds < 1e-3
