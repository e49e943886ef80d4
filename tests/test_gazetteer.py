"""The gazetteer file, its loader, its validation and its EntityRuler patterns."""
from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from kg.errors import KgError
from kg.gazetteer import (
    DEFAULT_PATH,
    Gazetteer,
    GazetteerEntry,
    GazetteerError,
    load_gazetteer,
    normalize,
    slugify,
)

OTAN = "organisation-du-traite-de-l-atlantique-nord"
ONU = "organisation-des-nations-unies"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def _keys(entries: list[GazetteerEntry]) -> list[str]:
    return [e.key for e in entries]


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


# --- the real file ---------------------------------------------------------


def test_gazetteer_real_file_loads_sorted_and_complete(gaz):
    assert len(gaz.entries) >= 150
    assert list(gaz.entries) == sorted(gaz.entries)
    counts = {cls: sum(e.cls == cls for e in gaz.entries.values()) for cls in ("Person", "State", "Organization", "Place")}
    assert min(counts.values()) >= 20


def test_gazetteer_default_load_is_cached(gaz):
    assert load_gazetteer() is gaz
    assert load_gazetteer(DEFAULT_PATH) is not gaz


def test_gazetteer_entries_are_read_only(gaz):
    with pytest.raises(TypeError):
        gaz.entries["x"] = gaz.get("russie")  # type: ignore[index]


@pytest.mark.parametrize("key", ["russie", "coree-du-nord", "coree-du-sud", "ukraine", "etats-unis", "chine"])
def test_gazetteer_every_story_state_has_capital_and_demonyms(gaz, key):
    state = gaz.get(key)
    assert state.cls == "State"
    assert gaz.get(state.capital).capital_of == key
    assert state.demonyms


def test_gazetteer_people_have_role_and_affiliation_where_known(gaz):
    lavrov = gaz.get("serguei-lavrov")
    assert (lavrov.role, lavrov.affiliation, lavrov.wikidata) == ("ministre des Affaires étrangères", "russie", "Q58217")
    rutte = gaz.get("mark-rutte")
    assert (rutte.role, rutte.affiliation) == ("secrétaire général", OTAN)


def test_gazetteer_names_exclude_ambiguous_aliases(gaz):
    kim = gaz.get("kim-jong-un")
    assert kim.names() == ("Kim Jong-un", "Kim Jong Un")
    assert kim.ambiguous_aliases == ("Kim",)


def test_gazetteer_get_unknown_key_raises():
    with pytest.raises(GazetteerError, match=r"^unknown gazetteer key 'atlantide'$"):
        load_gazetteer().get("atlantide")


def test_gazetteer_error_is_a_kg_error():
    assert issubclass(GazetteerError, KgError)
    assert GazetteerError.exit_code == 2


# --- normalisation ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kim Jong Un", "kim jong un"),
        ("Kim Jong-Un", "kim jong un"),
        ("kim jong-un", "kim jong un"),
        ("KIM  JONG–UN", "kim jong un"),
        ("Choïgou", "choigou"),
        ("Choigou", "choigou"),
        ("l’OTAN", "otan"),
        ("L'OTAN", "otan"),
        ("la Corée du Nord", "coree du nord"),
        ("Les États-Unis", "etats unis"),
        ("le Kremlin", "kremlin"),
        ("  Asie – Pacifique ", "asie pacifique"),
        ("Lavrov", "lavrov"),
        ("Lee Jae-myung", "lee jae myung"),
        ("Le", "le"),
        ("ministère de l’Unification", "ministere de l'unification"),
        ("Sœur", "soeur"),
    ],
)
def test_gazetteer_normalize(text, expected):
    assert normalize(text) == expected


@pytest.mark.parametrize(
    ("label", "slug"),
    [
        ("Corée du Nord", "coree-du-nord"),
        ("Sergueï Lavrov", "serguei-lavrov"),
        ("Kim Jong-un", "kim-jong-un"),
        ("Organisation du traité de l'Atlantique nord", OTAN),
    ],
)
def test_gazetteer_slugify(label, slug):
    assert slugify(label) == slug


# --- lookups ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("surface", "key"),
    [
        ("Choigou", "serguei-choigou"),
        ("Choïgou", "serguei-choigou"),
        ("Shoigu", "serguei-choigou"),
        ("Kim Jong Un", "kim-jong-un"),
        ("Kim Jong-Un", "kim-jong-un"),
        ("kim jong-un", "kim-jong-un"),
        ("RPDC", "coree-du-nord"),
        ("République populaire démocratique de Corée", "coree-du-nord"),
        ("Etats-Unis", "etats-unis"),
        ("les États-Unis", "etats-unis"),
        ("USA", "etats-unis"),
        ("OTAN", OTAN),
        ("l’Otan", OTAN),
        ("Nations Unies", ONU),
        ("ONU", ONU),
        ("Conseil de Sécurité de l'ONU", "conseil-de-securite-des-nations-unies"),
        ("Lavrov", "serguei-lavrov"),
        ("Andréi Bélousov", "andrei-belousov"),
        ("Belousov", "andrei-belousov"),
        ("Choe Son Hui", "choe-son-hui"),
        ("Choe Son-hui", "choe-son-hui"),
        ("Nom Kwang Chol", "no-kwang-chol"),
        ("No Kwang-chol", "no-kwang-chol"),
        ("Yoon Suk Yeol", "yoon-suk-yeol"),
        ("Yoon", "yoon-suk-yeol"),
        ("Rustam Umerov", "roustem-oumerov"),
        ("Oumerov", "roustem-oumerov"),
        ("Budanov", "kyrylo-boudanov"),
        ("KCNA", "agence-centrale-de-presse-coreenne"),
        ("agence Tass", "tass"),
        ("NIS", "services-de-renseignement-sud-coreens"),
        ("HUR", "renseignement-militaire-ukrainien"),
        ("OCS", "organisation-de-cooperation-de-shanghai"),
        ("diplomatie russe", "ministere-russe-des-affaires-etrangeres"),
        ("Pentagone", "pentagone"),
        ("Nordwind", "nordwind-airlines"),
        ("Kyiv", "kiev"),
        ("région de Koursk", "koursk"),
        ("Kursk", "koursk"),
        ("Vostochny", "cosmodrome-de-vostotchny"),
        ("mer de l'Est", "mer-du-japon"),
    ],
)
def test_gazetteer_lookup_transliterations_and_acronyms(gaz, surface, key):
    assert _keys(gaz.lookup(surface)) == [key]


def test_gazetteer_lookup_unknown_is_empty(gaz):
    assert gaz.lookup("Atlantide") == []


def test_gazetteer_lookup_capital_is_the_place_not_the_state(gaz):
    assert [(e.key, e.cls) for e in gaz.lookup("Moscou")] == [("moscou", "Place")]


@pytest.mark.parametrize(
    ("surface", "keys"),
    [
        ("Kim", ["kim-il-sung", "kim-jong-il", "kim-jong-un", "kim-ju-ae", "kim-tok-hun", "kim-yo-jong"]),
        ("Choe", ["choe-ryong-hae", "choe-son-hui"]),
        ("Conseil de sécurité", ["conseil-de-securite-des-nations-unies", "conseil-de-securite-russe"]),
    ],
)
def test_gazetteer_shared_bare_name_is_ambiguous_not_resolved(gaz, surface, keys):
    assert gaz.lookup(surface) == []
    assert _keys(gaz.ambiguous(surface)) == keys


def test_gazetteer_ambiguous_unknown_is_empty(gaz):
    assert gaz.ambiguous("Lavrov") == []


@pytest.mark.parametrize(
    ("word", "state"),
    [
        ("russe", "russie"),
        ("russes", "russie"),
        ("nord-coréen", "coree-du-nord"),
        ("nord-coréenne", "coree-du-nord"),
        ("nord-coréens", "coree-du-nord"),
        ("nord-coréennes", "coree-du-nord"),
        ("Nord-Coréens", "coree-du-nord"),
        ("NORD-COREENNES", "coree-du-nord"),
        ("nord coréen", "coree-du-nord"),
        ("sud-coréen", "coree-du-sud"),
        ("sud-coréennes", "coree-du-sud"),
        ("ukrainien", "ukraine"),
        ("ukrainiennes", "ukraine"),
        ("américain", "etats-unis"),
        ("américaine", "etats-unis"),
        ("américains", "etats-unis"),
        ("américaines", "etats-unis"),
        ("chinois", "chine"),
        ("chinoise", "chine"),
        ("japonaises", "japon"),
        ("biélorusse", "bielorussie"),
        ("bélarusses", "bielorussie"),
        ("britanniques", "royaume-uni"),
        ("turque", "turquie"),
    ],
)
def test_gazetteer_state_of_demonym(gaz, word, state):
    assert gaz.state_of_demonym(word) == state


@pytest.mark.parametrize("word", ["soviétique", "coréen", "russo", ""])
def test_gazetteer_state_of_demonym_unknown(gaz, word):
    assert gaz.state_of_demonym(word) is None


@pytest.mark.parametrize(
    ("place", "state"),
    [("pyongyang", "coree-du-nord"), ("moscou", "russie"), ("kiev", "ukraine"), ("washington", "etats-unis")],
)
def test_gazetteer_state_of_capital(gaz, place, state):
    assert gaz.state_of_capital(place) == state


@pytest.mark.parametrize("place", ["wonsan", "russie", "atlantide"])
def test_gazetteer_state_of_capital_none_for_non_capitals(gaz, place):
    assert gaz.state_of_capital(place) is None


@pytest.mark.parametrize(
    ("surface", "state"),
    [
        ("Kremlin", "russie"),
        ("le Kremlin", "russie"),
        ("Maison Blanche", "etats-unis"),
        ("la Maison-Blanche", "etats-unis"),
        ("Maison-Bleue", "coree-du-sud"),
        ("l'Élysée", "france"),
        ("Downing Street", "royaume-uni"),
    ],
)
def test_gazetteer_state_of_seat(gaz, surface, state):
    assert gaz.state_of_seat(surface) == state


@pytest.mark.parametrize("surface", ["Pentagone", "Moscou", "palais"])
def test_gazetteer_state_of_seat_none_for_non_seats(gaz, surface):
    assert gaz.state_of_seat(surface) is None


@pytest.mark.parametrize(
    ("place", "state"),
    [
        ("wonsan", "coree-du-nord"),
        ("koursk", "russie"),
        ("cosmodrome-de-vostotchny", "russie"),
        ("crimee", "ukraine"),
        ("moscou", "russie"),
        ("seoul", "coree-du-sud"),
        ("occident", None),
        ("asie-pacifique", None),
        ("russie", None),
        ("atlantide", None),
    ],
)
def test_gazetteer_state_of_place(gaz, place, state):
    assert gaz.state_of_place(place) == state


# --- validation ---------------------------------------------------------------

_BASE = """
[[entity]]
key = "russie"
class = "State"
label = "Russie"
capital = "moscou"
demonyms = ["russe", "russes"]

[[entity]]
key = "moscou"
class = "Place"
label = "Moscou"
capital_of = "russie"
"""


def _write(tmp_path: Path, extra: str, base: str = _BASE) -> Path:
    path = tmp_path / "gazetteer.toml"
    path.write_text(base + extra, encoding="utf-8")
    return path


def test_gazetteer_small_valid_file_loads(tmp_path):
    gaz = load_gazetteer(_write(tmp_path, ""))
    assert list(gaz.entries) == ["moscou", "russie"]
    assert gaz.state_of_capital("moscou") == "russie"


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        (
            '[[entity]]\nkey = "x"\nclass = "Country"\nlabel = "X"\n',
            "entity 'x': unknown class 'Country' (expected one of Person, State, Organization, Place)",
        ),
        (
            '[[entity]]\nkey = "russie"\nclass = "State"\nlabel = "Russie"\n',
            "entity 'russie': duplicate key",
        ),
        (
            '[[entity]]\nkey = "kim-jong-un"\nclass = "Person"\nlabel = "Kim Jong-un"\naliases = ["Kim"]\n'
            '[[entity]]\nkey = "kim-yo-jong"\nclass = "Person"\nlabel = "Kim Yo-jong"\naliases = ["KIM"]\n',
            "entity 'kim-yo-jong': name 'KIM' is also a name of 'kim-jong-un' (Person); "
            "declare it in ambiguous_aliases of both instead",
        ),
        (
            '[[entity]]\nkey = "federation-de-russie"\nclass = "State"\nlabel = "Fédération de Russie"\n'
            'aliases = ["Russie"]\n',
            "entity 'federation-de-russie': name 'Russie' is also a name of 'russie' (State); "
            "declare it in ambiguous_aliases of both instead",
        ),
        (
            '[[entity]]\nkey = "kim-jong-un"\nclass = "Person"\nlabel = "Kim Jong-un"\naliases = ["Kim"]\n'
            '[[entity]]\nkey = "kim-yo-jong"\nclass = "Person"\nlabel = "Kim Yo-jong"\nambiguous_aliases = ["Kim"]\n',
            "entity 'kim-yo-jong': ambiguous alias 'Kim' is a plain name of 'kim-jong-un'",
        ),
        (
            '[[entity]]\nkey = "kim-jong-un"\nclass = "Person"\nlabel = "Kim Jong-un"\n'
            'aliases = ["Kim"]\nambiguous_aliases = ["kim"]\n',
            "entity 'kim-jong-un': 'kim' is both a name and an ambiguous alias",
        ),
        (
            '[[entity]]\nkey = "x"\nclass = "Person"\nlabel = "X"\naffiliation = "atlantide"\n',
            "entity 'x': affiliation 'atlantide' is not a key of the gazetteer",
        ),
        (
            '[[entity]]\nkey = "x"\nclass = "Person"\nlabel = "X"\naffiliation = "moscou"\n',
            "entity 'x': affiliation 'moscou' is a Place, expected State or Organization",
        ),
        (
            '[[entity]]\nkey = "x"\nclass = "State"\nlabel = "X"\ncapital = "atlantide"\n',
            "entity 'x': capital 'atlantide' is not a key of the gazetteer",
        ),
        (
            '[[entity]]\nkey = "x"\nclass = "State"\nlabel = "X"\ncapital = "moscou"\n',
            "entity 'x': capital 'moscou' does not say capital_of = \"x\"",
        ),
        (
            '[[entity]]\nkey = "x"\nclass = "Place"\nlabel = "X"\ncapital_of = "atlantide"\n',
            "entity 'x': capital_of 'atlantide' is not a key of the gazetteer",
        ),
        (
            '[[entity]]\nkey = "x"\nclass = "Place"\nlabel = "X"\ncapital_of = "russie"\n',
            "entity 'x': capital_of 'russie' does not say capital = \"x\"",
        ),
        (
            '[[entity]]\nkey = "x"\nclass = "Place"\nlabel = "X"\nin = "atlantide"\n',
            "entity 'x': in 'atlantide' is not a key of the gazetteer",
        ),
        (
            '[[entity]]\nkey = "x"\nclass = "Place"\nlabel = "X"\nin = "moscou"\n',
            "entity 'x': in 'moscou' is a Place, expected State",
        ),
        (
            '[[entity]]\nkey = "x"\nclass = "Place"\nlabel = "X"\nwikidata = "159"\n',
            "entity 'x': wikidata '159' is not a Wikidata id like 'Q159'",
        ),
        (
            '[[entity]]\nkey = "x"\nclass = "Place"\nlabel = "X"\nwikidata = "Q159x"\n',
            "entity 'x': wikidata 'Q159x' is not a Wikidata id like 'Q159'",
        ),
        (
            '[[entity]]\nkey = "x"\nclass = "Person"\nlabel = "X"\nafiliation = "russie"\n',
            "entity 'x': unknown field 'afiliation'",
        ),
        (
            '[[entity]]\nkey = "x"\nclass = "State"\nlabel = "X"\nrole = "président"\n',
            "entity 'x': field 'role' is not allowed for class State",
        ),
        (
            '[[entity]]\nkey = "x"\nclass = "Person"\nlabel = "X"\naliases = "Y"\n',
            "entity 'x': field 'aliases' must be a list of non-empty strings",
        ),
        (
            '[[entity]]\nkey = "x"\nclass = "Person"\nlabel = "X"\nrole = ""\n',
            "entity 'x': field 'role' must be a non-empty string",
        ),
        (
            '[[entity]]\nkey = "x"\nclass = "Organization"\nlabel = "X"\nkind = "club"\n',
            "entity 'x': kind 'club' is not one of media, agency, intelligence, ministry, alliance, "
            "international, company, military, government, party, parliament",
        ),
        (
            '[[entity]]\nkey = "x"\nclass = "Person"\n',
            "entity 'x': missing required field 'label'",
        ),
        (
            '[[entity]]\nclass = "Person"\nlabel = "X"\n',
            "entity #3: missing required field 'key'",
        ),
        (
            '[[entity]]\nkey = "coree"\nclass = "State"\nlabel = "Corée du Nord"\n',
            "entity 'coree': key is not the slug of label 'Corée du Nord' (expected 'coree-du-nord')",
        ),
        (
            '[[entity]]\nkey = "russie-bis"\nclass = "State"\nlabel = "Russie bis"\ndemonyms = ["Russe"]\n',
            "entity 'russie-bis': demonym 'Russe' is also a demonym of 'russie'",
        ),
        (
            '[[entity]]\nkey = "x"\nclass = "State"\nlabel = "X"\nseats = ["Moscou"]\n'
            '[[entity]]\nkey = "y"\nclass = "State"\nlabel = "Y"\nseats = ["moscou"]\n',
            "entity 'y': name 'moscou' is also a name of 'x' (State); declare it in ambiguous_aliases of both instead",
        ),
    ],
)
def test_gazetteer_validation_error_names_file_entry_and_problem(tmp_path, extra, problem):
    path = _write(tmp_path, extra)
    with pytest.raises(GazetteerError) as caught:
        load_gazetteer(path)
    assert str(caught.value) == f"{path}: {problem}"


def test_gazetteer_validation_allows_same_name_in_different_classes(tmp_path):
    path = _write(
        tmp_path,
        '[[entity]]\nkey = "george-washington"\nclass = "Person"\nlabel = "George Washington"\n'
        'aliases = ["Moscou"]\n',
    )
    gaz = load_gazetteer(path)
    assert [(e.key, e.cls) for e in gaz.lookup("Moscou")] == [("george-washington", "Person"), ("moscou", "Place")]


def test_gazetteer_validation_allows_declared_ambiguous_alias(tmp_path):
    path = _write(
        tmp_path,
        '[[entity]]\nkey = "kim-jong-un"\nclass = "Person"\nlabel = "Kim Jong-un"\nambiguous_aliases = ["Kim"]\n'
        '[[entity]]\nkey = "kim-yo-jong"\nclass = "Person"\nlabel = "Kim Yo-jong"\nambiguous_aliases = ["Kim"]\n',
    )
    gaz = load_gazetteer(path)
    assert gaz.lookup("Kim") == []
    assert _keys(gaz.ambiguous("kim")) == ["kim-jong-un", "kim-yo-jong"]


def test_gazetteer_missing_file_raises(tmp_path):
    path = tmp_path / "absent.toml"
    with pytest.raises(GazetteerError) as caught:
        load_gazetteer(path)
    assert str(caught.value) == f"{path}: gazetteer file not found"


def test_gazetteer_invalid_toml_raises(tmp_path):
    path = _write(tmp_path, '[[entity]]\nkey = "x\n')
    with pytest.raises(GazetteerError) as caught:
        load_gazetteer(path)
    assert str(caught.value).startswith(f"{path}: not valid TOML (")


def test_gazetteer_entity_that_is_not_a_table_raises(tmp_path):
    path = tmp_path / "gazetteer.toml"
    path.write_text("entity = [1]\n", encoding="utf-8")
    with pytest.raises(GazetteerError) as caught:
        load_gazetteer(path)
    assert str(caught.value) == f"{path}: entity #1: must be a table ([[entity]])"


def test_gazetteer_unexpected_top_level_key_raises(tmp_path):
    path = _write(tmp_path, "", base='version = 1\n' + _BASE)
    with pytest.raises(GazetteerError) as caught:
        load_gazetteer(path)
    assert str(caught.value) == f"{path}: unexpected top-level key 'version' (only [[entity]] tables)"


# --- EntityRuler patterns -------------------------------------------------------


@pytest.fixture(scope="module")
def nlp(gaz):
    """fr_core_news_md's tokenizer only (no trained component) plus the gazetteer's ruler."""
    spacy = pytest.importorskip("spacy")
    model = spacy.load(
        "fr_core_news_md",
        exclude=["tok2vec", "morphologizer", "parser", "attribute_ruler", "lemmatizer", "ner", "senter"],
    )
    model.add_pipe("entity_ruler").add_patterns(gaz.ruler_patterns())
    return model


def _ents(nlp, text: str) -> list[tuple[str, str, str]]:
    return [(ent.text, ent.label_, ent.ent_id_) for ent in nlp(text).ents]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hier, Kim Jong-un a inspecté une usine.", [("Kim Jong-un", "Person", "kim-jong-un")]),
        ("Hier, Kim Jong Un a inspecté une usine.", [("Kim Jong Un", "Person", "kim-jong-un")]),
        ("Hier, Kim Jong–un a inspecté une usine.", [("Kim Jong–un", "Person", "kim-jong-un")]),
        ("La Corée-du-Nord proteste.", [("Corée-du-Nord", "State", "coree-du-nord")]),
        ("Le dirigeant Kim Jong-Un est rentré.", [("Kim Jong-Un", "Person", "kim-jong-un")]),
        ("La ministre Choe Son Hui a parlé.", [("Choe Son Hui", "Person", "choe-son-hui")]),
        ("Le général Nom Kwang Chol était présent.", [("Nom Kwang Chol", "Person", "no-kwang-chol")]),
        ("Un accord avec la Corée du Nord a été conclu.", [("Corée du Nord", "State", "coree-du-nord")]),
        ("Les États-Unis protestent.", [("États-Unis", "State", "etats-unis")]),
        ("Selon les Etats-Unis, rien ne change.", [("Etats-Unis", "State", "etats-unis")]),
        ("Il critique l'OTAN depuis des années.", [("OTAN", "Organization", OTAN)]),
        ("Il critique l’Otan depuis des années.", [("Otan", "Organization", OTAN)]),
        ("Le Kremlin dément.", [("Kremlin", "State", "russie")]),
        ("La Maison Blanche et la Maison-Blanche.", [("Maison Blanche", "State", "etats-unis"), ("Maison-Blanche", "State", "etats-unis")]),
        ("Sergueï Choigou est arrivé à Pyongyang.", [("Sergueï Choigou", "Person", "serguei-choigou"), ("Pyongyang", "Place", "pyongyang")]),
        ("Le ministre Choigou a signé.", [("Choigou", "Person", "serguei-choigou")]),
        ("Une délégation est partie de Moscou.", [("Moscou", "Place", "moscou")]),
        ("Des soldats sont déployés dans la région de Koursk.", [("région de Koursk", "Place", "koursk")]),
        ("La RPDC répond.", [("RPDC", "State", "coree-du-nord")]),
        ("Un porte-parole des Nations Unies a réagi.", [("Nations Unies", "Organization", ONU)]),
        ("La dépêche de l'AFP cite l'agence KCNA.", [("AFP", "Organization", "agence-france-presse"), ("agence KCNA", "Organization", "agence-centrale-de-presse-coreenne")]),
        ("Le Conseil de sécurité de l'ONU se réunit.", [("Conseil de sécurité de l'ONU", "Organization", "conseil-de-securite-des-nations-unies")]),
        ("Un vol direct Moscou-Pyongyang est ouvert.", [("Moscou", "Place", "moscou"), ("Pyongyang", "Place", "pyongyang")]),
    ],
)
def test_gazetteer_ruler_matches_whole_names(nlp, text, expected):
    assert _ents(nlp, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Kim a parlé longuement.",  # ambiguous bare name: no pattern
        "Les paris sont ouverts.",  # a capital's name in lower case is a common word
        "Le Conseil de sécurité se réunit.",  # ambiguous between two councils
        "Ils parlent de la guerre depuis un an.",
    ],
)
def test_gazetteer_ruler_leaves_common_words_and_ambiguous_names(nlp, text):
    assert _ents(nlp, text) == []


def _every_name(gaz):
    for entry in gaz.entries.values():
        for name in (*entry.names(), *entry.seats):
            yield entry.key, name


def test_gazetteer_ruler_matches_every_name_as_written_and_without_accents(gaz, nlp):
    missed = []
    for key, name in _every_name(gaz):
        for written in {name, _strip_accents(name), name.replace("-", " ")}:
            text = f"Selon nos informations, {written} a réagi mardi."
            if (written, key) not in {(ent.text, ent.ent_id_) for ent in nlp(text).ents}:
                missed.append((key, written))
    assert missed == []


def test_gazetteer_ruler_patterns_are_deterministic_and_serialisable(gaz):
    first = gaz.ruler_patterns()
    second = load_gazetteer(DEFAULT_PATH).ruler_patterns()
    assert first == second
    assert json.loads(json.dumps(first, ensure_ascii=False)) == first
    assert [p["id"] for p in first] == sorted(p["id"] for p in first)


def test_gazetteer_ruler_patterns_shape(gaz):
    patterns = gaz.ruler_patterns()
    assert {tuple(sorted(p)) for p in patterns} == {("id", "label", "pattern")}
    assert {p["label"] for p in patterns} == {"Person", "State", "Organization", "Place"}
    seats = [p for p in patterns if p["id"] == "russie" and p["pattern"] == [{"LOWER": "kremlin", "IS_LOWER": False}]]
    assert seats == [{"label": "State", "pattern": [{"LOWER": "kremlin", "IS_LOWER": False}], "id": "russie"}]
    assert not [p for p in patterns if p["pattern"] == [{"LOWER": "kim"}]]


def test_gazetteer_ruler_patterns_never_give_one_pattern_two_ids(gaz):
    owners: dict[str, set[str]] = {}
    for p in gaz.ruler_patterns():
        owners.setdefault(json.dumps(p["pattern"], sort_keys=True), set()).add(p["id"])
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}
