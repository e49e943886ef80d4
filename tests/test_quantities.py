"""kg.quantities: French quantities, their qualifiers, and what is not a quantity."""
from __future__ import annotations

import re
import timeit
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.model import Quantity
from kg.quantities import find_calibres, find_quantities, parse_quantity

FAST = settings(max_examples=200, deadline=None)


def readings(text: str) -> list[tuple[str, str, str]]:
    """find_quantities as (slice of the text, value as written by Decimal, qualifier)."""
    return [(text[s:e], str(q.value), q.qualifier) for s, e, q in find_quantities(text)]


# ---- forms ---------------------------------------------------------------------------------

DIGITS = [
    ("Le port a reçu 28 000 conteneurs.", [("28 000", "28000", "Exactly")]),
    ("Le port a reçu 28\u00a0000 conteneurs.", [("28\u00a0000", "28000", "Exactly")]),
    ("Le port a reçu 28\u202f000 conteneurs.", [("28\u202f000", "28000", "Exactly")]),
    ("Le port a reçu 28.000 conteneurs.", [("28.000", "28000", "Exactly")]),
    ("On compte 1 500 000 réfugiés.", [("1 500 000", "1500000", "Exactly")]),
    ("On compte 10000 réfugiés.", [("10000", "10000", "Exactly")]),
    ("Il reste 12,5 millions de cartouches.", [("12,5 millions", "12500000", "Exactly")]),
    ("Moscou aurait reçu 12 millions d'obus.", [("12 millions", "12000000", "Exactly")]),
    ("Il faudrait 1,5 million de cartouches.", [("1,5 million", "1500000", "Exactly")]),
    ("Un budget de 2000 milliards est prévu.", [("2000 milliards", "2000000000000", "Exactly")]),
    ("Ils livrent 3 000 milliers de cartouches.", [("3 000 milliers", "3000000", "Approximately")]),
    ("Ils ont vu 28 mille soldats.", [("28 mille", "28000", "Exactly")]),
    ("On compte 2,5 tanks par compagnie.", [("2,5", "2.5", "Exactly")]),
    ("Entre 10 000 et 12 000 hommes.", [("10 000", "10000", "Exactly"), ("12 000", "12000", "Exactly")]),
]

WORDS = [
    ("Le pays a envoyé deux navires.", [("deux", "2", "Exactly")]),
    ("Il y aurait douze millions de cartouches.", [("douze millions", "12000000", "Exactly")]),
    ("Deux milliards de dollars? Non : deux milliards de cartouches.", [("deux milliards", "2000000000", "Exactly")]),
    ("On attend deux cent mille hommes.", [("deux cent mille", "200000", "Exactly")]),
    ("On attend vingt-huit mille hommes.", [("vingt-huit mille", "28000", "Exactly")]),
    ("Soixante-dix blindés ont franchi la frontière.", [("Soixante-dix", "70", "Exactly")]),
    ("Quatre-vingts blindés ont franchi la frontière.", [("Quatre-vingts", "80", "Exactly")]),
    ("Quatre-vingt-dix-sept blindés sont partis.", [("Quatre-vingt-dix-sept", "97", "Exactly")]),
    ("On a compté mille cinq cents ingénieurs.", [("mille cinq cents", "1500", "Exactly")]),
    ("Il a dépêché vingt et un conseillers.", [("vingt et un", "21", "Exactly")]),
    ("Soixante et onze drones sont tombés.", [("Soixante et onze", "71", "Exactly")]),
    ("Cent quatre-vingts lanceurs sont prêts.", [("Cent quatre-vingts", "180", "Exactly")]),
    ("Il y aurait trois millions deux cent mille cartouches.", [("trois millions deux cent mille", "3200000", "Exactly")]),
    ("Il y aurait deux millions et demi de cartouches.", [("deux millions et demi", "2500000", "Exactly")]),
    ("Il y aurait un million de cartouches.", [("un million", "1000000", "Exactly")]),
    ("Neuf soldats ont été capturés.", [("Neuf", "9", "Exactly")]),
    ("On a vu dix-neuf camions.", [("dix-neuf", "19", "Exactly")]),
    ("Elle a promis deux et trois lanceurs.", [("deux", "2", "Exactly"), ("trois", "3", "Exactly")]),
]

APPROXIMATING = [
    ("Une dizaine d'officiers étaient présents.", [("Une dizaine", "10", "Approximately")]),
    ("Une vingtaine d'officiers étaient présents.", [("Une vingtaine", "20", "Approximately")]),
    ("Une centaine d'officiers étaient présents.", [("Une centaine", "100", "Approximately")]),
    ("Un millier de soldats ont été vus.", [("Un millier", "1000", "Approximately")]),
    ("Une dizaine de milliers de soldats ont été vus.", [("Une dizaine de milliers", "10000", "Approximately")]),
    ("Deux centaines de soldats ont été vus.", [("Deux centaines", "200", "Approximately")]),
    ("Une quarantaine de soldats ont été vus.", [("Une quarantaine", "40", "Approximately")]),
]

VAGUE = [
    ("Pyongyang a expédié des milliers de cartouches.", [("des milliers", "2000", "AtLeast")]),
    ("Il offrirait plusieurs milliers d'ouvriers.", [("plusieurs milliers", "2000", "AtLeast")]),
    ("Il offrirait plusieurs centaines d'ouvriers.", [("plusieurs centaines", "200", "AtLeast")]),
    ("Il aurait expédié plusieurs millions d’obus.", [("plusieurs millions", "2000000", "AtLeast")]),
    ("Des dizaines de milliers de soldats attendent.", [("Des dizaines de milliers", "20000", "AtLeast")]),
    ("Le Kremlin veut des millions de cartouches.", [("des millions", "2000000", "AtLeast")]),
    ("Quelques milliers d'hommes suffiraient.", [("Quelques milliers", "2000", "AtLeast")]),
    ("Il parle de millions de cartouches.", [("millions", "2000000", "AtLeast")]),
    ("Des centaines de milliers de cartouches.", [("Des centaines de milliers", "200000", "AtLeast")]),
]

QUALIFIERS = [
    ("Il aurait livré près de 12 millions d'obus.", [("près de 12 millions", "12000000", "Approximately")]),
    ("Il a envoyé environ 13 000 soldats.", [("environ 13 000", "13000", "Approximately")]),
    ("Un contingent d’environ 500 hommes.", [("environ 500", "500", "Approximately")]),
    ("Un contingent d'environ 500 hommes.", [("environ 500", "500", "Approximately")]),
    ("Il a reçu quelque 3 000 conseillers.", [("quelque 3 000", "3000", "Approximately")]),
    ("Il a reçu quelques 3 000 conseillers.", [("quelques 3 000", "3000", "Approximately")]),
    ("Il a reçu autour de 300 drones.", [("autour de 300", "300", "Approximately")]),
    ("Il a reçu approximativement 300 drones.", [("approximativement 300", "300", "Approximately")]),
    ("Il a reçu presque 300 drones.", [("presque 300", "300", "Approximately")]),
    ("Il a reçu pas loin de 300 drones.", [("pas loin de 300", "300", "Approximately")]),
    ("Il a reçu ~300 drones.", [("~300", "300", "Approximately")]),
    ("Il a reçu près d'un million de cartouches.", [("près d'un million", "1000000", "Approximately")]),
    ("Il a envoyé plus de 10 000 soldats.", [("plus de 10 000", "10000", "AtLeast")]),
    ("Il a envoyé plus d'une centaine d'experts.", [("plus d'une centaine", "100", "AtLeast")]),
    ("Il a envoyé plus d’un million de cartouches.", [("plus d’un million", "1000000", "AtLeast")]),
    ("Il a envoyé au moins 5 navires.", [("au moins 5", "5", "AtLeast")]),
    ("Il a envoyé au minimum 5 navires.", [("au minimum 5", "5", "AtLeast")]),
    ("Il a envoyé pas moins de 3 000 hommes.", [("pas moins de 3 000", "3000", "AtLeast")]),
    ("Il a envoyé moins de 400 hommes.", [("moins de 400", "400", "AtMost")]),
    ("Il a envoyé au plus 400 hommes.", [("au plus 400", "400", "AtMost")]),
    ("Il a envoyé au maximum 400 hommes.", [("au maximum 400", "400", "AtMost")]),
    ("Il pourrait envoyer jusqu'à 3 000 hommes.", [("jusqu'à 3 000", "3000", "AtMost")]),
    ("Il pourrait envoyer jusqu’à 3 000 hommes.", [("jusqu’à 3 000", "3000", "AtMost")]),
    ("Il pourrait envoyer jusqu’à deux millions de cartouches.", [("jusqu’à deux millions", "2000000", "AtMost")]),
    ("Il a envoyé exactement 400 hommes.", [("exactement 400", "400", "Exactly")]),
    ("Il a envoyé PRÈS DE 400 hommes.", [("PRÈS DE 400", "400", "Approximately")]),
]


@pytest.mark.parametrize("text, expected", DIGITS + WORDS + APPROXIMATING + VAGUE + QUALIFIERS)
def test_quantities_finds_expected_spans_values_and_qualifiers(text, expected):
    assert readings(text) == expected


# ---- not quantities ----------------------------------------------------------------------

NOT_QUANTITIES = [
    # articles
    "Ils ont signé un accord lors d'une visite.",
    # years
    "Le traité signé en 2024 est actif.",
    "Une réunion avait eu lieu en 2019.",
    "Des liens renforcés depuis 2024.",
    "Le sommet de 2024 a été décisif.",
    "2019 fut une année charnière.",
    "Une guerre éclata en 1871.",
    "Les combats de l’été 2024 ont été rudes.",
    # days of month and dates
    "La visite du 19 juin a été brève.",
    "Il a parlé samedi 12 juillet à Wonsan.",
    "Il est arrivé le 1er juillet 2025.",
    "Le texte daté du 19/06/2024 est public.",
    "Le texte daté du 2024-06-19 est public.",
    "Il est arrivé le deux juin.",
    # calibres
    "Des obus de 152 mm ont été livrés.",
    "Des obus de calibre 122mm ont été livrés.",
    "Des obus de 152 millimètres ont été livrés.",
    "Des canons de calibre 155 ont été livrés.",
    # percentages, times, ordinals
    "La production a augmenté de 30 %.",
    "La production a augmenté de 30 pour cent.",
    "La production a augmenté de trente pour cent.",
    "La réunion a commencé à 10 h.",
    "La réunion a commencé à 10 h 30.",
    "C'est le 1er convoi et la deuxième livraison.",
    "C'est la 3e livraison du XXe siècle.",
    # frequency and durations
    "Ils se réunissent deux fois par semaine.",
    "Il est resté un mois et demi.",
    "Il est resté deux ans à Moscou.",
    "Les livraisons durent depuis plus de deux ans.",
    "Il fournit des armes depuis environ six semaines.",
    "Il y a trois jours, il est parti.",
    "Des dizaines d'années de coopération.",
    "Il a cédé à deux reprises.",
    # measures and money
    "Le front s'étend sur 500 kilomètres.",
    "L'incursion a couvert plusieurs centaines de kilomètres carrés.",
    "Le contrat vaut 2 milliards de dollars.",
    "Le contrat vaut 300 millions d'euros.",
    "Le contrat vaut $300.",
    # anaphoric number words
    "Les deux pays ont signé.",
    "Malgré les dénégations des deux pays, l'accord tient.",
    "Ces trois hommes ont parlé.",
    "Le texte a été remis aux deux parties.",
    "Tous deux ont signé.",
    "Les échanges entre les deux nations progressent.",
    # designations
    "Des missiles KN-23 ont été tirés.",
    "Le Hwasong-19 a été testé.",
    "L'article 4 du traité prévoit une aide.",
    "La résolution 2270 a été votée.",
    # ambiguous words
    "Il a reçu un char neuf.",
    "Le matériel neuf dans les dépôts.",
    "Il a été placé en quarantaine.",
    "Un sommet dix-huitième du genre.",
    "",
]


@pytest.mark.parametrize("text", NOT_QUANTITIES)
def test_quantities_skips_what_is_not_a_count(text):
    assert find_quantities(text) == []


def test_quantities_keeps_digits_after_a_determiner():
    assert readings("Les 10 000 soldats sont arrivés.") == [("10 000", "10000", "Exactly")]


def test_quantities_keeps_word_multipliers_after_a_determiner():
    assert readings("Les deux millions d'obus sont arrivés.") == [("deux millions", "2000000", "Exactly")]


def test_quantities_reads_a_sentence_with_several_forms():
    text = (
        "Selon Séoul, près de 12 millions d’obus de 152 millimètres ont été livrés en 2024, "
        "ainsi que 28 000 conteneurs, et environ 13 000 soldats sont arrivés le 19 juin."
    )
    assert readings(text) == [
        ("près de 12 millions", "12000000", "Approximately"),
        ("28 000", "28000", "Exactly"),
        ("environ 13 000", "13000", "Approximately"),
    ]
    start = text.index("152 millimètres")
    assert find_calibres(text) == [(start, start + len("152 millimètres"), "152 mm")]


# ---- parse_quantity ----------------------------------------------------------------------

PARSE = [
    ("12 millions", Quantity(Decimal("12000000"))),
    ("  près de 12 millions  ", Quantity(Decimal("12000000"), "Approximately")),
    ("plusieurs milliers", Quantity(Decimal("2000"), "AtLeast")),
    ("une centaine", Quantity(Decimal("100"), "Approximately")),
    ("jusqu’à 3 000", Quantity(Decimal("3000"), "AtMost")),
    ("deux", Quantity(Decimal("2"))),
    ("un", None),
    ("2024", None),
    ("152 mm", None),
    ("30 %", None),
    ("12 millions d'obus", None),
    ("12 et 13", None),
    ("", None),
    ("obus", None),
]


@pytest.mark.parametrize("text, expected", PARSE)
def test_quantities_parse_accepts_only_a_whole_expression(text, expected):
    assert parse_quantity(text) == expected


@pytest.mark.parametrize("text, lexical", [
    ("12 millions", "12000000"), ("1,5 million", "1500000"), ("2,50", "2.5"), ("deux milliards", "2000000000"),
])
def test_quantities_values_have_no_exponent(text, lexical):
    assert str(parse_quantity(text).value) == lexical


# ---- calibres ----------------------------------------------------------------------------

CALIBRES = [
    ("des obus de 152 mm", [("152 mm", "152 mm")]),
    ("des obus de calibre 122mm et 152mm", [("122mm", "122 mm"), ("152mm", "152 mm")]),
    ("des obus de 152 millimètres", [("152 millimètres", "152 mm")]),
    ("des canons de calibre 155 et des chars", [("calibre 155", "155 mm")]),
    ("des mitrailleuses de 12,7 mm", [("12,7 mm", "12,7 mm")]),
    ("des obus livrés par milliers", []),
    ("152 soldats", []),
]


@pytest.mark.parametrize("text, expected", CALIBRES)
def test_quantities_find_calibres(text, expected):
    assert [(text[s:e], label) for s, e, label in find_calibres(text)] == expected


# ---- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize("function", [find_quantities, parse_quantity, find_calibres])
def test_quantities_rejects_non_text(function):
    with pytest.raises(TypeError, match="^expected a str of French text, got bytes$"):
        function(b"12 millions")


# ---- properties --------------------------------------------------------------------------


def _check_spans(text: str, spans) -> None:
    previous_end = 0
    for start, end, _ in spans:
        assert previous_end <= start < end <= len(text)
        previous_end = end


@FAST
@given(st.text())
def test_quantities_never_raise_and_spans_fit(text):
    _check_spans(text, find_quantities(text))
    _check_spans(text, find_calibres(text))
    parse_quantity(text)


WORDISH = st.lists(
    st.sampled_from([
        "deux", "cent", "mille", "millions", "des", "plusieurs", "dizaines", "de", "d'", "milliers",
        "12", "000", "1,5", "près", "plus", "jusqu’à", "un", "une", "centaine", "et", "demi", "-",
        "2024", "juin", "mm", "%", "ans", "les", "neuf", "vingt", "quatre", "soixante", "\u00a0",
    ]),
    max_size=12,
).map(" ".join)


@FAST
@given(WORDISH)
def test_quantities_spans_fit_on_number_like_text(text):
    _check_spans(text, find_quantities(text))


def _group(n: int, separator: str) -> str:
    digits = str(n)
    head = len(digits) % 3 or 3
    return separator.join([digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)])


@FAST
@given(st.integers(min_value=1000, max_value=10**12), st.sampled_from([" ", "\u00a0", "\u202f", "."]))
def test_quantities_grouped_integers_parse_back(n, separator):
    assert parse_quantity(_group(n, separator)) == Quantity(Decimal(n))
    assert find_quantities(f"Ils ont reçu {_group(n, separator)} cartouches.")[0][2].value == n


_UNITS = "zéro un deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize".split()
_TENS = {2: "vingt", 3: "trente", 4: "quarante", 5: "cinquante", 6: "soixante"}


def _below_100(n: int) -> str:
    if n <= 16:
        return _UNITS[n]
    if n < 20:
        return "dix-" + _UNITS[n - 10]
    if n < 70:
        tens, unit = divmod(n, 10)
        return _TENS[tens] + ("" if unit == 0 else " et un" if unit == 1 else "-" + _UNITS[unit])
    if n < 80:
        return "soixante" + (" et onze" if n == 71 else "-" + _below_100(n - 60))
    if n == 80:
        return "quatre-vingts"
    return "quatre-vingt-" + _below_100(n - 80)


def _below_1000(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    if not hundreds:
        return _below_100(rest)
    head = "cent" if hundreds == 1 else _UNITS[hundreds] + (" cents" if rest == 0 else " cent")
    return head if rest == 0 else f"{head} {_below_100(rest)}"


def _french(n: int) -> str:
    """French words for 0 < n < 10^12 (traditional spelling), written independently of kg."""
    parts = []
    for size, singular, plural in ((10**9, "milliard", "milliards"), (10**6, "million", "millions")):
        count, n = divmod(n, size)
        if count:
            parts.append(f"{_below_1000(count) if count > 1 else 'un'} {plural if count > 1 else singular}")
    thousands, n = divmod(n, 1000)
    if thousands:
        head = _below_1000(thousands)
        if head.endswith(("cents", "vingts")):  # "deux cent mille", "quatre-vingt mille"
            head = head[:-1]
        parts.append("mille" if thousands == 1 else head + " mille")
    if n:
        parts.append(_below_1000(n))
    return " ".join(parts)


@FAST
@given(st.integers(min_value=2, max_value=10**12 - 1).filter(lambda n: n != 9))
def test_quantities_french_number_words_parse_back(n):
    assert parse_quantity(_french(n)) == Quantity(Decimal(n)), _french(n)


@pytest.mark.parametrize("n, words", [
    (71, "soixante et onze"), (80, "quatre-vingts"), (97, "quatre-vingt-dix-sept"),
    (200, "deux cents"), (280_000, "deux cent quatre-vingt mille"), (1_000_001, "un million un"),
])
def test_quantities_test_oracle_spells_french(n, words):
    assert _french(n) == words


@FAST
@given(st.integers(min_value=0, max_value=999), st.integers(min_value=1, max_value=99))
def test_quantities_decimal_comma_with_multiplier(whole, tenths):
    value = parse_quantity(f"{whole},{tenths} millions")
    assert value == Quantity(Decimal(f"{whole}.{tenths}") * 1_000_000)
    assert "E" not in str(value.value)


# ---- speed -------------------------------------------------------------------------------

PLAIN_SENTENCE = (
    "Le ministre des Affaires étrangères a rencontré son homologue lors d'une visite officielle "
    "chargée de symboles, où les dirigeants ont réaffirmé leur soutien inconditionnel à tous les "
    "objectifs de l'opération militaire, selon les médias officiels, dans un contexte de tensions "
    "croissantes entre les deux pays voisins."
)


def test_quantities_compile_no_regex_per_call(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a regex was compiled or looked up at call time")

    for name in ("compile", "search", "match", "fullmatch", "findall", "finditer", "sub", "split", "_compile"):
        monkeypatch.setattr(re, name, refuse)
    assert readings("près de 12 millions d'obus de 152 mm et des milliers de soldats") == [
        ("près de 12 millions", "12000000", "Approximately"),
        ("des milliers", "2000", "AtLeast"),
    ]
    assert find_quantities(PLAIN_SENTENCE) == []


def test_quantities_plain_sentence_is_fast():
    # The target is well under 100 µs; the bound leaves room for a loaded test machine.
    seconds = min(timeit.repeat(lambda: find_quantities(PLAIN_SENTENCE), number=200, repeat=3)) / 200
    assert seconds < 1e-3
