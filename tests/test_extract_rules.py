"""Rule-by-rule checks of the event extractor on French sentences written for these tests.

Every expectation states the CORRECT reading per /work/shared/CONTRACT.md, not what kg does
today. Cases the extractor still gets wrong are `xfail(strict=True)` with the reason saying
what it does instead, so the suite stays green and a fixed rule shows up as an XPASS.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

import pytest

from kg.model import Event, KnowledgeGraph
from kg.reading import read_text

ARTICLE_DATE = date(2024, 11, 20)  # a Wednesday
ANY = object()  # "not checked" for one field of an expectation


@lru_cache(maxsize=None)
def graph(text: str, day: date | None = None) -> KnowledgeGraph:
    return read_text(text, date=day)


def bug(*values, reason: str):
    """A case the extractor gets wrong today."""
    return pytest.param(*values, marks=pytest.mark.xfail(strict=True, reason=reason))


# -- expectations ----------------------------------------------------------------------------
class Meet(NamedTuple):
    persons: frozenset[str]  # Person participants, exactly
    states: frozenset[str] | object = frozenset()  # State/Organization participants (ANY: unchecked)
    place: str | None = None
    date: str | None = None
    factuality: str = "Asserted"
    source: str | None | object = None


class Agree(NamedTuple):
    parties: frozenset[str]
    signatories: frozenset[str] = frozenset()
    name: str | None | object = ANY
    date: str | None = None
    factuality: str = "Asserted"


class Transfer(NamedTuple):
    supplier: str | None
    recipient: str | None
    categories: tuple[str, ...]  # one ArmsTransfer per category, in any order
    quantity: str | None = None
    qualifier: str = "Exactly"
    factuality: str = "Asserted"
    source: str | None | object = None
    item: str | None | object = ANY
    date: str | None = None


class Deploy(NamedTuple):
    sender: str | None
    recipient: str | None
    quantity: str | None = None
    qualifier: str = "Exactly"
    place: str | None | object = None
    factuality: str = "Asserted"
    source: str | None | object = None


def s(*keys: str) -> frozenset[str]:
    return frozenset(keys)


# -- checking ---------------------------------------------------------------------------------
def describe(kg: KnowledgeGraph) -> str:
    """What the extractor produced, for failure messages."""
    lines = []
    for e in kg.events:
        ev = [(x.factuality, x.attributed_to) for x in e.evidence]
        quantity = f"{e.quantity.value} {e.quantity.qualifier}" if e.quantity else None
        lines.append(f"{e.cls} {dict(e.roles)} items={e.items} cats={e.item_categories} names={e.names} "
                     f"qty={quantity} dates={[d.lexical for d in e.dates]} evidence={ev}")
    return "\n".join(lines) or "no event"


def of_class(kg: KnowledgeGraph, cls: str) -> list[Event]:
    return [e for e in kg.events if e.cls == cls]


def role(event: Event, name: str) -> frozenset[str]:
    return frozenset(event.roles.get(name, ()))


def kinds(kg: KnowledgeGraph, keys) -> tuple[frozenset[str], frozenset[str]]:
    """(Person keys, other keys) among `keys`."""
    persons = frozenset(k for k in keys if kg.entities[k].cls == "Person")
    return persons, frozenset(keys) - persons


def check_claim(event: Event, factuality: str, source) -> None:
    assert [x.factuality for x in event.evidence] == [factuality]
    if source is not ANY:
        assert [x.attributed_to for x in event.evidence] == [source]


def check_dates(event: Event, lexical: str | None) -> None:
    assert [d.lexical for d in event.dates] == ([lexical] if lexical else [])


def check(kg: KnowledgeGraph, expected) -> None:
    if isinstance(expected, Meet):
        found = of_class(kg, "Meeting")
        assert len(found) == 1
        event = found[0]
        persons, others = kinds(kg, event.roles.get("participant", ()))
        assert persons == expected.persons
        if expected.states is not ANY:
            assert others == expected.states
        assert event.roles.get("place", ()) == ((expected.place,) if expected.place else ())
        check_dates(event, expected.date)
        check_claim(event, expected.factuality, expected.source)
    elif isinstance(expected, Agree):
        found = of_class(kg, "Agreement")
        assert len(found) == 1
        event = found[0]
        assert role(event, "party") == expected.parties
        assert role(event, "signatory") == expected.signatories
        if expected.name is not ANY:
            assert event.names == (expected.name,)
        check_dates(event, expected.date)
        check_claim(event, expected.factuality, None)
    elif isinstance(expected, Transfer):
        found = of_class(kg, "ArmsTransfer")
        assert sorted(c for e in found for c in e.item_categories) == sorted(expected.categories)
        assert len(found) == len(expected.categories)
        for event in found:
            assert event.roles.get("supplier", ()) == ((expected.supplier,) if expected.supplier else ())
            assert event.roles.get("recipient", ()) == ((expected.recipient,) if expected.recipient else ())
            quantity = (event.quantity.value, event.quantity.qualifier) if event.quantity else None
            assert quantity == ((Decimal(expected.quantity), expected.qualifier) if expected.quantity else None)
            if expected.item is not ANY:
                assert event.items == (expected.item,)
            check_dates(event, expected.date)
            check_claim(event, expected.factuality, expected.source)
    elif isinstance(expected, Deploy):
        found = of_class(kg, "Deployment")
        assert len(found) == 1
        event = found[0]
        assert event.roles.get("sender", ()) == ((expected.sender,) if expected.sender else ())
        assert event.roles.get("recipient", ()) == ((expected.recipient,) if expected.recipient else ())
        quantity = (event.quantity.value, event.quantity.qualifier) if event.quantity else None
        assert quantity == ((Decimal(expected.quantity), expected.qualifier) if expected.quantity else None)
        if expected.place is not ANY:
            assert event.roles.get("place", ()) == ((expected.place,) if expected.place else ())
        check_claim(event, expected.factuality, expected.source)
    else:  # pragma: no cover - a mistake in this file
        raise TypeError(expected)


def run(text: str, expected, day: date | None = None) -> None:
    kg = graph(text, day)
    try:
        check(kg, expected)
    except AssertionError as error:
        raise AssertionError(f"{text}\n{describe(kg)}") from error


# ============================================================================================
# Meetings
# ============================================================================================
MEETINGS = [
    # signing together is meeting
    ("En juin, Vladimir Poutine et Kim Jong-un avaient signé à Pyongyang un traité de défense.",
     Meet(s("vladimir-poutine", "kim-jong-un"), place="pyongyang")),
    # active verb, place
    ("Le président chinois Xi Jinping a rencontré Alexandre Loukachenko à Minsk.", Meet(s("xi-jinping", "alexandre-loukachenko"), place="minsk")),
    ("Recep Tayyip Erdogan a rencontré mardi son homologue iranien Massoud Pezeshkian à Téhéran.", Meet(s("recep-tayyip-erdogan", "massoud-pezeshkian"), place="teheran")),
    ("À Vladivostok, Vladimir Poutine a rencontré le Premier ministre indien Narendra Modi.", Meet(s("vladimir-poutine", "narendra-modi"), place="vladivostok")),
    # passive
    ("Antony Blinken a été reçu par Yoon Suk-yeol à Séoul.",
     Meet(s("antony-blinken", "yoon-suk-yeol"), place="seoul")),
    ("Le Premier ministre indien Narendra Modi a été accueilli par Vladimir Poutine à Moscou.", Meet(s("narendra-modi", "vladimir-poutine"), place="moscou")),
    # s'entretenir avec
    ("Wang Yi s'est entretenu avec Choe Son-hui à Pékin.", Meet(s("wang-yi", "choe-son-hui"), place="pekin")),
    ("Andrii Sybiha s'est longuement entretenu avec Antony Blinken.",
     Meet(s("andrii-sybiha", "antony-blinken"))),
    # nominal: visite, rencontre, sommet
    ("La visite de Xi Jinping à Pyongyang a duré deux jours.",
     Meet(s("xi-jinping"), s("coree-du-nord"), place="pyongyang")),
    ("La rencontre entre Vladimir Poutine et Kassym-Jomart Tokaïev s'est tenue à Astana.",
     Meet(s("vladimir-poutine", "kassym-jomart-tokaiev"), place="astana")),
    ("Le sommet entre Xi Jinping et Narendra Modi a eu lieu en octobre 2024.", Meet(s("xi-jinping", "narendra-modi"), date="2024-10")),
    ("La visite de Tô Lâm en Russie a été marquée par de nombreux échanges.",
     Meet(s("to-lam"), s("russie"))),
    ("Dmitri Medvedev a effectué une visite à Hanoï.", Meet(s("dmitri-medvedev"), s("vietnam"), place="hanoi")),
    # reciprocal
    ("Emmanuel Macron et Olaf Scholz se sont rencontrés à Berlin.",
     Meet(s("emmanuel-macron", "olaf-scholz"), place="berlin")),
    # a visit to a country: the host state takes part
    ("Sergueï Lavrov est arrivé en Chine pour une visite officielle.", Meet(s("serguei-lavrov"), s("chine"))),
    ("Le ministre nord-coréen de la Défense, No Kwang-chol, est arrivé lundi en Russie pour une visite de travail.",
     Meet(s("no-kwang-chol"), s("russie"))),
    ("Kim Jong-un s'est rendu en Russie en septembre 2023.",
     Meet(s("kim-jong-un"), s("russie"), date="2023-09")),
    # relative and participial clauses
    ("Kim Jong-un, qui a reçu Sergueï Choïgou à Pyongyang, a vanté l'amitié entre les deux peuples.",
     Meet(s("kim-jong-un", "serguei-choigou"), place="pyongyang")),
    ("Reçu par Xi Jinping à Pékin, Vladimir Poutine a plaidé pour un monde multipolaire.", Meet(s("xi-jinping", "vladimir-poutine"), place="pekin")),
    ("Shigeru Ishiba s'est rendu à Séoul, où il a rencontré Yoon Suk-yeol.", Meet(s("shigeru-ishiba", "yoon-suk-yeol"), ANY, place="seoul")),
    # dates
    ("Vladimir Poutine a rencontré Kim Jong-un le 13 septembre 2023 à Vladivostok.",
     Meet(s("vladimir-poutine", "kim-jong-un"), place="vladivostok", date="2023-09-13")),
    ("Mark Rutte a reçu Roustem Oumerov le 5 février 2025.",
     Meet(s("mark-rutte", "roustem-oumerov"), date="2025-02-05")),
    # coordination
    ("Sergueï Lavrov et Sergueï Choïgou ont rencontré Kim Jong-un à Rason.",
     Meet(s("serguei-lavrov", "serguei-choigou", "kim-jong-un"), place="rason")),
    ("Kim Jong-un a accueilli Alexandre Loukachenko et Massoud Pezeshkian.",
     Meet(s("kim-jong-un", "alexandre-loukachenko", "massoud-pezeshkian"))),
    ("Kim Jong-un a reçu à Pyongyang le ministre russe de la Défense, Andreï Bélousov.",
     Meet(s("kim-jong-un", "andrei-belousov"), place="pyongyang")),
    # a present-tense verb the lemmatizer leaves as the noun "rencontre"
    ("Vladimir Poutine rencontre Xi Jinping mercredi.", Meet(s("vladimir-poutine", "xi-jinping"))),
    # "entre" read as the verb "entrer"
    ("La rencontre entre Xi Jinping et Kim Jong-un a duré deux heures.", Meet(s("xi-jinping", "kim-jong-un"))),
    # ... and its place hung on the last name
    ("La rencontre entre Sergueï Lavrov et Wang Yi à Moscou a été brève.",
     Meet(s("serguei-lavrov", "wang-yi"), place="moscou")),
    ("Le sommet a suivi la rencontre entre Vladimir Poutine et Kim Jong-un à Pyongyang.",
     Meet(s("vladimir-poutine", "kim-jong-un"), place="pyongyang")),
]


@pytest.mark.parametrize("text, expected", MEETINGS)
def test_extract_meeting_rules(text, expected):
    run(text, expected)


# ============================================================================================
# Agreements
# ============================================================================================
AGREEMENTS = [
    ("Vladimir Poutine et Alexandre Loukachenko ont signé un traité de garanties de sécurité.",
     Agree(s("russie", "bielorussie"), s("vladimir-poutine", "alexandre-loukachenko"),
           name="traité de garanties de sécurité")),
    ("La Russie et l'Iran ont signé un accord de partenariat stratégique global en janvier 2025.",
     Agree(s("russie", "iran"), name="accord de partenariat stratégique global", date="2025-01")),
    ("L'accord signé par Xi Jinping et Kim Jong-un en 2021 prolonge l'alliance des deux régimes.", Agree(s("chine", "coree-du-nord"), s("xi-jinping", "kim-jong-un"), name="accord", date="2021")),
    ("Un pacte de défense entre Moscou et Pyongyang est entré en vigueur en décembre 2024.", Agree(s("russie", "coree-du-nord"), name="pacte de défense")),
    ("Moscou et Minsk ont conclu un accord de coopération militaire.",
     Agree(s("russie", "bielorussie"), name="accord de coopération militaire")),
    bug("Le traité d'assistance mutuelle conclu entre la Russie et la Corée du Nord le 19 juin 2024 a été ratifié par la Douma.",
        Agree(s("russie", "coree-du-nord"), name="traité d'assistance mutuelle", date="2024-06-19"),
        reason="no event: 'conclu entre X et Y' is an acl of 'assistance' (not of 'traité'), so the parties are not found"),
    # the accord parsed as an apposition of the "avec" partner, who signs too
    ("Kim Jong-un a signé avec Vladimir Poutine un accord de partenariat.",
     Agree(s("coree-du-nord", "russie"), s("kim-jong-un", "vladimir-poutine"), name="accord de partenariat")),
    ("Alexandre Loukachenko a signé un traité d'union avec Vladimir Poutine.",
     Agree(s("bielorussie", "russie"), s("alexandre-loukachenko", "vladimir-poutine"), name="traité d'union")),
    ("Le ministre russe des Ressources naturelles, Alexandre Kozlov, a signé un protocole de coopération économique avec la Corée du Nord.",
     Agree(s("russie", "coree-du-nord"), s("alexandre-kozlov"), name="protocole de coopération économique")),
    ("Pékin et Moscou ont signé un mémorandum sur l'énergie le 16 mai 2024.",
     Agree(s("chine", "russie"), name="mémorandum sur l'énergie", date="2024-05-16")),
    ("La Biélorussie est liée à la Russie par un traité d'union.",
     Agree(s("bielorussie", "russie"), name="traité d'union")),
    # passive signing: the "par" agents sign, their states are the parties, as in the active voice
    ("Le traité de bon voisinage a été paraphé par Sergueï Lavrov et Choe Son-hui.",
     Agree(s("russie", "coree-du-nord"), s("serguei-lavrov", "choe-son-hui"), name="traité de bon voisinage")),
    ("L'accord a été signé à Pékin par les ministres Sergueï Lavrov et Wang Yi.",
     Agree(s("russie", "chine"), s("serguei-lavrov", "wang-yi"), name="accord")),
    ("Le pacte a été conclu par les présidents Vladimir Poutine et Alexandre Loukachenko.",
     Agree(s("russie", "bielorussie"), s("vladimir-poutine", "alexandre-loukachenko"), name="pacte")),
    ("Le protocole a été ratifié par les ministres des Affaires étrangères Sergueï Lavrov et Wang Yi.",
     Agree(s("russie", "chine"), s("serguei-lavrov", "wang-yi"), name="protocole")),
    ("Le texte a été paraphé par Sergueï Lavrov et Choe Son-hui.",
     Agree(s("russie", "coree-du-nord"), s("serguei-lavrov", "choe-son-hui"), name="texte")),
    # an office noun as subject stands for the names in apposition to it
    ("Les ministres Sergueï Lavrov et Wang Yi ont signé l'accord.",
     Agree(s("russie", "chine"), s("serguei-lavrov", "wang-yi"), name="accord")),
    ("Les présidents Vladimir Poutine et Xi Jinping ont signé un traité d'amitié.",
     Agree(s("russie", "chine"), s("vladimir-poutine", "xi-jinping"), name="traité d'amitié")),
]


@pytest.mark.parametrize("text, expected", AGREEMENTS)
def test_extract_agreement_rules(text, expected):
    run(text, expected)


# ============================================================================================
# Arms transfers
# ============================================================================================
AMMO, MISSILES, ROCKETS, ARTILLERY, EQUIPMENT = (
    "Ammunition", "Missiles", "RocketLaunchers", "Artillery", "MilitaryEquipment")

TRANSFERS = [
    # verbs with "à", exact and qualified quantities
    ("L'Iran a livré 40 000 obus à la Russie.",
     Transfer("iran", "russie", (AMMO,), "40000", item="obus")),
    ("Pyongyang a fourni plus de 500 missiles balistiques à Moscou.",
     Transfer("coree-du-nord", "russie", (MISSILES,), "500", "AtLeast", item="missiles balistiques")),
    ("La Corée du Nord a expédié près de 3 millions d'obus vers la Russie.",
     Transfer("coree-du-nord", "russie", (AMMO,), "3000000", "Approximately")),
    ("La Corée du Nord a livré au moins 1,5 million d'obus à la Russie.",
     Transfer("coree-du-nord", "russie", (AMMO,), "1500000", "AtLeast")),
    ("Pyongyang a livré à Moscou jusqu'à 250 lance-roquettes.",
     Transfer("coree-du-nord", "russie", (ROCKETS,), "250", "AtMost")),
    ("La Biélorussie a envoyé des chars à la Russie.",
     Transfer("bielorussie", "russie", (EQUIPMENT,), item="chars")),
    ("La Corée du Nord a vendu des armes à la Syrie.",
     Transfer("coree-du-nord", "syrie", (EQUIPMENT,), item="armes")),
    ("La Corée du Nord a expédié des roquettes de 240 mm à la Russie.",
     Transfer("coree-du-nord", "russie", (AMMO,), item="roquettes de 240 mm")),
    ("Pyongyang a envoyé des systèmes d'artillerie à la Russie.",
     Transfer("coree-du-nord", "russie", (ARTILLERY,), item="systèmes d'artillerie")),
    # passive with "par"
    ("Des lance-roquettes multiples ont été livrés à la Russie par la Corée du Nord.",
     Transfer("coree-du-nord", "russie", (ROCKETS,))),
    ("Environ 200 obusiers ont été fournis à Moscou par Pyongyang.",
     Transfer("coree-du-nord", "russie", (ARTILLERY,), "200", "Approximately", item="obusiers")),
    ("Des équipements militaires ont été livrés par la Biélorussie à la Russie.",
     Transfer("bielorussie", "russie", (EQUIPMENT,), item="équipements militaires")),
    # approvisionner X en Y
    # a present-tense verb the parse takes for a noun hung on the name before it
    ("Téhéran approvisionne Moscou en drones.",
     Transfer("iran", "russie", (EQUIPMENT,), item="drones")),
    ("La Corée du Nord approvisionne la Russie en munitions.",
     Transfer("coree-du-nord", "russie", (AMMO,), item="munitions")),
    ("Pyongyang livre des obus à Moscou depuis 2023.", Transfer("coree-du-nord", "russie", (AMMO,), item="obus")),
    ("Téhéran envoie des drones à Moscou.", Transfer("iran", "russie", (EQUIPMENT,), item="drones")),
    ("Pyongyang aurait livré environ 120 pièces d'artillerie à Moscou.",
     Transfer("coree-du-nord", "russie", (ARTILLERY,), "120", "Approximately", factuality="Reported",
              item="pièces d'artillerie")),
    # acquiring verbs
    ("Moscou a reçu des obusiers de Pyongyang.",
     Transfer("coree-du-nord", "russie", (ARTILLERY,))),
    ("La Russie a acheté des millions d'obus à la Corée du Nord.",  # "des millions": at least two
     Transfer("coree-du-nord", "russie", (AMMO,), "2000000", "AtLeast")),
    # nominal triggers, demonyms
    ("La livraison de missiles nord-coréens à la Russie a commencé en août 2023.",
     Transfer("coree-du-nord", "russie", (MISSILES,), date="2023-08")),
    ("Les expéditions d'obus iraniens vers la Russie se sont poursuivies.",
     Transfer("iran", "russie", (AMMO,))),
    ("Les livraisons d'armes de la Corée du Nord à la Russie se sont intensifiées.",
     Transfer("coree-du-nord", "russie", (EQUIPMENT,))),
    ("Des obus nord-coréens ont été livrés à l'armée russe.",
     Transfer("coree-du-nord", "russie", (AMMO,))),
    ("La Corée du Nord a livré des obus aux forces russes.",
     Transfer("coree-du-nord", "russie", (AMMO,))),
    bug("Pyongyang a fait parvenir des munitions à Moscou.",
        Transfer("coree-du-nord", "russie", (AMMO,)),
        reason="no event: 'faire parvenir' (in the lexicon) is not matched as a multi-word verb; the subject hangs as 'dep' on 'parvenir'"),
    # coordinated items: one transfer per category
    ("La Corée du Nord a fourni à la Russie des obus, des missiles et des lance-roquettes.",
     Transfer("coree-du-nord", "russie", (AMMO, MISSILES, ROCKETS))),
    ("L'Iran a transféré des drones et des missiles à la Russie.", Transfer("iran", "russie", (EQUIPMENT, MISSILES))),
    ("Pyongyang a livré des obusiers et des munitions à Moscou.",
     Transfer("coree-du-nord", "russie", (ARTILLERY, AMMO))),
    # a relative clause states a fact of its own
    ("La Corée du Nord, qui a fourni des missiles à la Russie, reste sous sanctions.",
     Transfer("coree-du-nord", "russie", (MISSILES,))),
    # a noun's "par" agent names the supplier, wherever the parse attaches it
    ("La livraison de missiles balistiques par l'Iran à la Russie inquiète Kiev.",
     Transfer("iran", "russie", (MISSILES,), item="missiles balistiques")),
    ("La livraison d'obus de 152 mm par Pyongyang à Moscou a duré des mois.",
     Transfer("coree-du-nord", "russie", (AMMO,), item="obus de 152 mm")),
]


@pytest.mark.parametrize("text, expected", TRANSFERS)
def test_extract_transfer_rules(text, expected):
    run(text, expected)


# ============================================================================================
# Deployments
# ============================================================================================
DEPLOYMENTS = [
    ("Il a salué des militaires nord-coréens présents aux côtés des troupes russes en Ukraine.",
     Deploy("coree-du-nord", "russie")),
    # troops somewhere, beside someone, denied, planned
    ("Plus de 8 000 militaires nord-coréens se trouvent actuellement en Russie.",
     Deploy("coree-du-nord", "russie", "8000", "AtLeast")),
    ("Des Nord-Coréens combattent aux côtés de l'armée russe près de Belgorod.",
     Deploy("coree-du-nord", "russie", place="belgorod")),
    ("Le Kremlin dément toute présence de soldats nord-coréens sur son territoire.",
     Deploy("coree-du-nord", "russie", factuality="Denied", source="russie")),
    ("Pyongyang prévoit d'envoyer des renforts en Russie au printemps.",
     Deploy("coree-du-nord", "russie", factuality="Possible")),
    ("La Corée du Nord a envoyé 3 000 soldats supplémentaires en Russie.",
     Deploy("coree-du-nord", "russie", "3000")),
    ("Des troupes nord-coréennes ont été déployées dans la région de Belgorod.",
     Deploy("coree-du-nord", "russie", place="belgorod")),
    ("Le déploiement de soldats nord-coréens en Russie a commencé en octobre 2024.",
     Deploy("coree-du-nord", "russie")),
    ("Pyongyang a dépêché environ 1 500 militaires en Russie.",
     Deploy("coree-du-nord", "russie", "1500", "Approximately")),
    ("Plus de 11 000 soldats nord-coréens ont été envoyés en Russie.",
     Deploy("coree-du-nord", "russie", "11000", "AtLeast")),
    ("L'Iran a envoyé des instructeurs en Russie.",
     Deploy("iran", "russie")),
    ("Kim Jong-un a envoyé 2 000 hommes dans la région de Koursk.", Deploy("coree-du-nord", "russie", "2000", place="koursk")),
    ("Des milliers de soldats nord-coréens sont stationnés en Russie.", Deploy("coree-du-nord", "russie", "2000", "AtLeast")),
    ("Des soldats nord-coréens combattent aux côtés des forces russes dans la région de Koursk.",
     Deploy("coree-du-nord", "russie", place="koursk")),
    ("L'envoi de 12 000 soldats nord-coréens en Russie a surpris les analystes.",
     Deploy("coree-du-nord", "russie", "12000")),
    ("Quelque 4 000 sapeurs nord-coréens ont été dépêchés à Koursk.",
     Deploy("coree-du-nord", "russie", "4000", "Approximately", place="koursk")),
    # the parse takes the number for the subject and hangs the soldiers on it
    ("Bon, environ 2 000 militaires nord-coréens ont été envoyés en Russie.",
     Deploy("coree-du-nord", "russie", "2000", "Approximately")),
    # personnel named by a listed two-word phrase
    ("La Russie a envoyé des conseillers militaires en Biélorussie.", Deploy("russie", "bielorussie")),
    # "une partie des soldats": the soldiers were sent, but not all of them
    ("Une partie des soldats nord-coréens a été déployée dans la région de Belgorod.",
     Deploy("coree-du-nord", "russie", place="belgorod")),
    ("Une partie des 3 000 soldats nord-coréens a été déployée dans la région de Belgorod.",
     Deploy("coree-du-nord", "russie", place="belgorod")),
    # a plural pronoun for the troops the sentence before had as subject
    ("Des milliers de soldats nord-coréens ont quitté le pays. Ils ont été déployés dans la région de Koursk.",
     Deploy("coree-du-nord", "russie", place="koursk")),
    ("Des centaines d'instructeurs iraniens ont quitté Téhéran. Ils ont été envoyés en Russie.",
     Deploy("iran", "russie")),
    # the parse hangs the soldiers in apposition to the "selon" source
    ("Selon des diplomates européens, quelque 1 000 militaires nord-coréens auraient été envoyés en Russie.",
     Deploy("coree-du-nord", "russie", "1000", "Approximately", factuality="Reported", source=ANY)),
]


@pytest.mark.parametrize("text, expected", DEPLOYMENTS)
def test_extract_deployment_rules(text, expected):
    run(text, expected)


# ============================================================================================
# Factuality
# ============================================================================================
FACTUALITY = [
    # Reported
    ("La Corée du Nord aurait livré des missiles à la Russie.",
     Transfer("coree-du-nord", "russie", (MISSILES,), factuality="Reported")),
    ("Environ 3 000 soldats nord-coréens auraient été déployés en Russie.",
     Deploy("coree-du-nord", "russie", "3000", "Approximately", factuality="Reported")),
    ("L'Iran est accusé de fournir des missiles à la Russie.",
     Transfer("iran", "russie", (MISSILES,), factuality="Reported")),
    ("Il semblerait que la Corée du Nord ait envoyé des obusiers à la Russie.",
     Transfer("coree-du-nord", "russie", (ARTILLERY,), factuality="Reported")),
    ("Selon Washington, l'Iran a fourni des drones à la Russie.",
     Transfer("iran", "russie", (EQUIPMENT,), factuality="Reported", source="etats-unis")),
    ("D'après Kiev, la Biélorussie a livré des obus à la Russie.", Transfer("bielorussie", "russie", (AMMO,), factuality="Reported", source="ukraine")),
    # Possible
    ("La Corée du Nord pourrait envoyer des soldats supplémentaires en Russie.",
     Deploy("coree-du-nord", "russie", factuality="Possible")),
    ("Pyongyang envisage de livrer des lance-roquettes à Moscou.",
     Transfer("coree-du-nord", "russie", (ROCKETS,), factuality="Possible")),
    ("La Corée du Sud n'exclut pas de fournir des armes à l'Ukraine.",
     Transfer("coree-du-sud", "ukraine", (EQUIPMENT,), factuality="Possible")),
    ("Téhéran prévoit de livrer des missiles balistiques à Moscou.",
     Transfer("iran", "russie", (MISSILES,), factuality="Possible")),
    ("La Russie livrera des systèmes de défense aérienne à la Corée du Nord.",
     Transfer("russie", "coree-du-nord", (EQUIPMENT,), factuality="Possible")),
    # Denied
    ("La Biélorussie n'a pas livré d'armes à la Russie.",
     Transfer("bielorussie", "russie", (EQUIPMENT,), factuality="Denied")),
    ("La Corée du Nord n'a jamais envoyé de missiles à la Russie.",
     Transfer("coree-du-nord", "russie", (MISSILES,), factuality="Denied")),
    ("Pyongyang a démenti avoir envoyé des soldats en Russie.",
     Deploy("coree-du-nord", "russie", factuality="Denied", source=ANY)),
    ("Le Kremlin a nié que la Corée du Nord ait livré des obus à la Russie.",
     Transfer("coree-du-nord", "russie", (AMMO,), factuality="Denied", source="russie")),
    ("Moscou dément également toute présence de soldats nord-coréens en Russie.",
     Deploy("coree-du-nord", "russie", factuality="Denied", source="russie")),
    ("La Biélorussie n'a pas envoyé de conseillers militaires en Russie, a assuré Viktor Khrenine.",
     Deploy("bielorussie", "russie", factuality="Denied", source="viktor-khrenine")),
    # the topic of a question is a possibility, not a fact
    ("Interrogé sur la livraison de drones iraniens à la Russie, le ministre a refusé de répondre.",
     Transfer("iran", "russie", (EQUIPMENT,), factuality="Possible")),
    # "plus de" is a quantity, not a negation
    ("La Corée du Nord a envoyé plus de 10 000 soldats en Russie.",
     Deploy("coree-du-nord", "russie", "10000", "AtLeast")),
    ("Pyongyang a livré plus de 100 lance-roquettes à Moscou.",
     Transfer("coree-du-nord", "russie", (ROCKETS,), "100", "AtLeast")),
]


@pytest.mark.parametrize("text, expected", FACTUALITY)
def test_extract_factuality_rules(text, expected):
    run(text, expected)


# ============================================================================================
# Attribution
# ============================================================================================
ATTRIBUTION = [
    ("La Corée du Nord aurait envoyé des soldats en Russie, selon le renseignement ukrainien.",
     Deploy("coree-du-nord", "russie", factuality="Reported", source="renseignement-militaire-ukrainien")),
    ("Selon les services de renseignement sud-coréens, la Corée du Nord a envoyé 1 000 soldats supplémentaires en Russie.",
     Deploy("coree-du-nord", "russie", "1000", factuality="Reported",
            source="services-de-renseignement-sud-coreens")),
    ("Selon Kyrylo Boudanov, Pyongyang a fourni des lance-roquettes à Moscou.",
     Transfer("coree-du-nord", "russie", (ROCKETS,), factuality="Reported", source="kyrylo-boudanov")),
    bug("D'après l'agence KCNA, Kim Jong-un a reçu Andreï Bélousov à Pyongyang.",
        Meet(s("kim-jong-un", "andrei-belousov"), place="pyongyang", factuality="Reported",
        source="agence-centrale-de-presse-coreenne"),
        reason="parse: 'agence KCNA' ROOT, Kim appos, 'reçu' acl:relcl -> KCNA taken as participant (participants: KCNA, andrei-belousov), no place, Asserted, no source"),
    ("Les accusations américaines selon lesquelles l'Iran aurait livré des missiles à la Russie se multiplient.",
     Transfer("iran", "russie", (MISSILES,), factuality="Reported", source="etats-unis")),
    ("Volodymyr Zelensky affirme que la Corée du Nord a livré des missiles à la Russie.",
     Transfer("coree-du-nord", "russie", (MISSILES,), factuality="Reported", source="volodymyr-zelensky")),
    ("Le Pentagone affirme que 8 000 soldats nord-coréens ont été déployés dans la région de Koursk.",
     Deploy("coree-du-nord", "russie", "8000", place="koursk", factuality="Reported", source="pentagone")),
    ("Selon Séoul, Pyongyang a livré 9 millions d'obus à Moscou.",
     Transfer("coree-du-nord", "russie", (AMMO,), "9000000", factuality="Reported", source="coree-du-sud")),
    ("D'après le renseignement ukrainien, la Corée du Nord a expédié des obusiers en Russie.", Transfer("coree-du-nord", "russie", (ARTILLERY,), factuality="Reported",
        source="renseignement-militaire-ukrainien")),
    ("La Corée du Nord fournirait des obus à la Russie, d'après l'agence Yonhap.", Transfer("coree-du-nord", "russie", (AMMO,), factuality="Reported", source="yonhap")),
    # a reporting verb after the claim, its subject inverted
    ("Vladimir Poutine a reçu Xi Jinping à Moscou, a rapporté l'agence TASS.",
     Meet(s("vladimir-poutine", "xi-jinping"), place="moscou", factuality="Reported", source="tass")),
    ("Kim Jong-un a reçu Sergueï Choïgou à Pyongyang, rapporte l'agence KCNA.",
     Meet(s("kim-jong-un", "serguei-choigou"), place="pyongyang", factuality="Reported",
          source="agence-centrale-de-presse-coreenne")),
    ("L'Iran a livré des missiles à la Russie, affirment les services de renseignement britanniques.",
     Transfer("iran", "russie", (MISSILES,), factuality="Reported", source="royaume-uni")),
    ("Le ministre biélorusse de la Défense, Viktor Khrenine, a démenti les accusations. "
     "« La Biélorussie n'a jamais livré d'obus à la Russie », a-t-il martelé.",
     Transfer("bielorussie", "russie", (AMMO,), factuality="Denied", source="viktor-khrenine")),
    ("Le ministre biélorusse de la Défense, Viktor Khrenine, a parlé. "
     "« La Biélorussie a livré des obus à la Russie », a-t-il dit.",
     Transfer("bielorussie", "russie", (AMMO,), factuality="Reported", source="viktor-khrenine")),
    # a speaker named by a noun and a nationality
    ("Les services de renseignement ukrainiens affirment que la Corée du Nord a livré des obusiers à la Russie.",
     Transfer("coree-du-nord", "russie", (ARTILLERY,), factuality="Reported", source="renseignement-militaire-ukrainien")),
    ("Les autorités japonaises affirment que la Corée du Nord a livré des missiles à la Russie.",
     Transfer("coree-du-nord", "russie", (MISSILES,), factuality="Reported", source="japon")),
]


@pytest.mark.parametrize("text, expected", ATTRIBUTION)
def test_extract_attribution_rules(text, expected):
    run(text, expected)


# ============================================================================================
# Dates
# ============================================================================================
DATES = [
    # resolved against the article's date (Wednesday 20 November 2024)
    ("Vladimir Poutine a rencontré Xi Jinping le 16 octobre dernier.", ARTICLE_DATE, "Meeting",
     ("2024-10-16", "date")),
    ("Kim Jong-un a reçu Sergueï Choïgou en septembre dernier.", ARTICLE_DATE, "Meeting",
     ("2024-09", "gYearMonth")),
    ("Alexandre Loukachenko a rencontré Vladimir Poutine samedi.", ARTICLE_DATE, "Meeting",
     ("2024-11-16", "date")),
    ("La Russie et la Corée du Nord ont signé un accord de coopération militaire le 3 juin dernier.",
     ARTICLE_DATE, "Agreement", ("2024-06-03", "date")),
    ("Dmitri Medvedev a rencontré Tô Lâm le 12 décembre dernier.", ARTICLE_DATE, "Meeting",
     ("2023-12-12", "date")),
    ("Wang Yi a reçu Sergueï Lavrov hier.", ARTICLE_DATE, "Meeting", ("2024-11-19", "date")),
    # without an article date
    ("Kim Jong-un a reçu Alexandre Kozlov le 14 mai.", None, "Meeting", ("--05-14", "gMonthDay")),
    bug("Vladimir Poutine a rencontré Narendra Modi en 2019.", None, "Meeting", ("2019", "gYear"),
        reason="no Meeting at all: the merged name 'Narendra Modi' is tagged VERB (parataxis), so the object is lost"),
    ("L'Iran a livré des drones à la Russie en août 2022.", None, "ArmsTransfer", ("2022-08", "gYearMonth")),
    ("Sergueï Lavrov a rencontré Wang Yi samedi.", None, "Meeting", None),
    ("Kim Jong-un a rencontré Vladimir Poutine en octobre dernier.", None, "Meeting", None),
    # a verb of speech or judgement dates what is said, not the event its object names
    ("Le Japon a condamné lundi la livraison de missiles nord-coréens à la Russie.", ARTICLE_DATE, "ArmsTransfer", None),
    ("Le Kremlin a confirmé mardi la visite de Kim Jong-un à Moscou.", ARTICLE_DATE, "Meeting", None),
    # verbs that say the event took place, began or went on date it
    ("Dmitri Medvedev a entamé lundi une visite au Vietnam.", ARTICLE_DATE, "Meeting", ("2024-11-18", "date")),
    ("Les livraisons d'obus iraniens à la Russie ont commencé en mars 2023.", ARTICLE_DATE, "ArmsTransfer",
     ("2023-03", "gYearMonth")),
    # what is to come: a bare weekday is the next one
    ("Xi Jinping et Vladimir Poutine doivent se rencontrer vendredi à Kazan.", ARTICLE_DATE, "Meeting",
     ("2024-11-22", "date")),
    ("Sergueï Lavrov se rendra samedi en Chine.", ARTICLE_DATE, "Meeting", ("2024-11-23", "date")),
    ("La rencontre entre Wang Yi et Sergueï Lavrov est prévue jeudi.", ARTICLE_DATE, "Meeting", ("2024-11-21", "date")),
    # ... but a past that did not happen looks back
    ("Sergueï Choïgou aurait dû rencontrer Kim Jong-un lundi.", ARTICLE_DATE, "Meeting", ("2024-11-18", "date")),
    # a range is dated by the year both ends share, or not at all
    ("La Corée du Nord a livré des obus à la Russie entre mars et mai 2024.", ARTICLE_DATE, "ArmsTransfer",
     ("2024", "gYear")),
    ("La Corée du Nord a livré des obus à la Russie entre août et février.", ARTICLE_DATE, "ArmsTransfer", None),
    # "de juin à Pyongyang" is no range
    ("Xi Jinping a évoqué lors de son sommet de juin à Pékin avec Vladimir Poutine la situation.", ARTICLE_DATE,
     "Meeting", ("2024-06", "gYearMonth")),
    # "depuis": from then to the article's day
    ("Pyongyang a livré des obus à Moscou depuis l'été dernier.", ARTICLE_DATE, "ArmsTransfer", ("2024", "gYear")),
    ("La Corée du Nord a livré des obus à la Russie depuis mars 2023.", ARTICLE_DATE, "ArmsTransfer", None),
]


@pytest.mark.parametrize("text, day, cls, expected", DATES)
def test_extract_date_rules(text, day, cls, expected):
    kg = graph(text, day)
    found = of_class(kg, cls)
    assert len(found) == 1, describe(kg)
    assert [(d.lexical, d.datatype) for d in found[0].dates] == ([expected] if expected else []), describe(kg)


# ============================================================================================
# Entities
# ============================================================================================
class IsA(NamedTuple):
    key: str
    cls: str


class Absent(NamedTuple):
    key: str


class Office(NamedTuple):
    key: str
    role: str
    affiliation: str


class Persons(NamedTuple):
    keys: frozenset[str]  # every Person entity of the graph


class Alias(NamedTuple):
    key: str
    surface: str


class NoLabelWith(NamedTuple):
    word: str  # no entity label contains it


def check_entity(kg: KnowledgeGraph, expected) -> None:
    entities = kg.entities
    if isinstance(expected, IsA):
        assert expected.key in entities and entities[expected.key].cls == expected.cls
    elif isinstance(expected, Absent):
        assert expected.key not in entities
    elif isinstance(expected, Office):
        person = entities[expected.key]
        assert person.roles == {expected.role}
        assert person.affiliations == {expected.affiliation}
    elif isinstance(expected, Persons):
        assert frozenset(k for k, e in entities.items() if e.cls == "Person") == expected.keys
    elif isinstance(expected, Alias):
        assert expected.surface in entities[expected.key].alt_labels
    elif isinstance(expected, NoLabelWith):
        assert not [e.label for e in entities.values() if expected.word in e.label.lower()]
    else:  # pragma: no cover - a mistake in this file
        raise TypeError(expected)


ENTITIES = [
    # a capital acting is its state; a capital visited is a place
    ("Pyongyang a réaffirmé son appui total à Moscou.",
     (IsA("coree-du-nord", "State"), IsA("russie", "State"), Absent("pyongyang"), Absent("moscou"))),
    ("Vladimir Poutine a effectué une visite à Pyongyang.",
     (IsA("pyongyang", "Place"),)),
    ("Le Kremlin a démenti ces informations.",
     (IsA("russie", "State"), Absent("kremlin"))),
    # roles and affiliations from appositions
    ("Le ministre russe de la Défense, Andreï Bélousov, a inspecté une usine de drones.",
     (Office("andrei-belousov", "ministre de la Défense", "russie"),)),
    ("Choe Son-hui, ministre nord-coréenne des Affaires étrangères, a quitté Moscou mardi.",
     (Office("choe-son-hui", "ministre des Affaires étrangères", "coree-du-nord"),)),
    # a plural office before two names: each holds it, in the singular
    ("Les ministres russes Sergueï Lavrov et Andreï Bélousov ont visité Pyongyang.",
     (Office("serguei-lavrov", "ministre", "russie"), Office("andrei-belousov", "ministre", "russie"))),
    ("Le porte-parole du Kremlin, Dmitri Peskov, a refusé de commenter.", (Office("dmitri-peskov", "porte-parole du Kremlin", "russie"),)),
    ("Le vice-ministre russe de la Défense, Alexeï Krivoroutchko, a visité une usine d'armement.",
     (IsA("alexei-krivoroutchko", "Person"),
      Office("alexei-krivoroutchko", "vice-ministre de la Défense", "russie"))),
    # offices new to the lexicon; a nationality inside a name the NER merged
    ("Le procureur général ukrainien, Rouslan Kravtchenko, a ouvert une enquête.",
     (Office("rouslan-kravtchenko", "procureur général", "ukraine"),)),
    ("La porte-parole du Conseil de sécurité nationale américain, Adrienne Watson, a réagi.",
     (Office("adrienne-watson", "porte-parole du Conseil de sécurité nationale", "etats-unis"),)),
    ("Le Premier ministre japonais Fumio Kishida a quitté Tokyo.",
     (Office("fumio-kishida", "Premier ministre", "japon"),)),
    # a rank before the office noun is part of the office
    ("Le texte a été paraphé par le vice-Premier ministre russe Alexeï Overtchouk.",
     (Office("alexei-overtchouk", "vice-Premier ministre", "russie"),)),
    # "son homologue": the office of the person it is the counterpart of
    ("Le ministre iranien de la Défense, Aziz Nasirzadeh, a reçu à Téhéran son homologue biélorusse Viktor Khrenine.",
     (Office("viktor-khrenine", "ministre de la Défense", "bielorussie"),)),
    # a name beside an office is a person, even when tagged as a place; the office is the phrase's head
    ("L'ambassadeur biélorusse en Iran, Dmitri Koltsov, a salué la coopération.",
     (IsA("dmitri-koltsov", "Person"), Office("dmitri-koltsov", "ambassadeur", "bielorussie"))),
    ("Selon un conseiller du président ukrainien, Mykhaïlo Podoliak, la guerre continue.",
     (Office("mykhailo-podoliak", "conseiller du président", "ukraine"),)),
    # aliases within one article
    ("Kim Jong-un a inspecté une usine de missiles. Kim a ensuite félicité les ouvriers.",
     (Persons(s("kim-jong-un")), Alias("kim-jong-un", "Kim"))),
    ("Vladimir Poutine a présidé le Conseil de sécurité. Poutine a ensuite quitté le Kremlin.",
     (Persons(s("vladimir-poutine")), Alias("vladimir-poutine", "Poutine"))),
    # two Kims named in full, then "Kim" alone: no guess
    ("Kim Jong-un et Kim Yo-jong ont assisté au défilé. Kim a ensuite prononcé un discours.",
     (Persons(s("kim-jong-un", "kim-yo-jong")), Absent("kim"))),
    # headings and page furniture are not read
    ("Colère à Séoul\nVladimir Poutine a rencontré Xi Jinping à Pékin.\n"
     "Les deux dirigeants ont parlé pendant trois heures.\nLaisser un commentaire\n",
     (Absent("seoul"), NoLabelWith("commentaire"), IsA("pekin", "Place"))),
]


@pytest.mark.parametrize("text, expectations", ENTITIES)
def test_extract_entity_rules(text, expectations):
    kg = graph(text)
    for expected in expectations:
        try:
            check_entity(kg, expected)
        except (AssertionError, KeyError) as error:
            found = {k: (e.cls, sorted(e.roles), sorted(e.affiliations), sorted(e.alt_labels))
                     for k, e in kg.entities.items()}
            raise AssertionError(f"{expected}: {found}") from error


# ============================================================================================
# Several events of one text, each with all its evidence
# ============================================================================================
class Ev(NamedTuple):
    cls: str
    roles: tuple[tuple[str, tuple[str, ...]], ...]  # (role, sorted keys), sorted by role
    evidence: tuple[tuple[str, str | None], ...]  # (factuality, attributed to), in text order
    dates: tuple[str, ...] = ()
    quantity: str | None = None


def ev(cls: str, evidence, dates=(), quantity=None, **roles) -> Ev:
    return Ev(cls, tuple(sorted((k, tuple(sorted(v))) for k, v in roles.items())), tuple(evidence),
              tuple(dates), quantity)


def summary(kg: KnowledgeGraph) -> list[Ev]:
    return sorted(Ev(e.cls, tuple(sorted((k, tuple(sorted(v))) for k, v in e.roles.items())),
                     tuple((x.factuality, x.attributed_to) for x in e.evidence),
                     tuple(d.lexical for d in e.dates), str(e.quantity.value) if e.quantity else None)
                  for e in kg.events)


SEVERAL = [
    # after a passive, "avant de / puis + verb" has the passive subject for its subject, not the agent
    ("Le Premier ministre malaisien Anwar Ibrahim a été accueilli par Xi Jinping à Pékin, avant de "
     "s'entretenir avec Li Qiang.",
     [ev("Meeting", [("Asserted", None)], participant=["anwar-ibrahim", "xi-jinping"], place=["pekin"]),
      ev("Meeting", [("Asserted", None)], participant=["anwar-ibrahim", "li-qiang"])]),
    ("Abbas Araghchi a été reçu par Vladimir Poutine puis a rencontré Sergueï Lavrov.",
     [ev("Meeting", [("Asserted", None)], participant=["abbas-araghchi", "vladimir-poutine"]),
      ev("Meeting", [("Asserted", None)], participant=["abbas-araghchi", "serguei-lavrov"])]),
    # "Il doit…" parsed as an impersonal "il" still stands for the last person named
    ("Sergueï Lavrov est arrivé à Pékin. Il doit s'entretenir avec Wang Yi.",
     [ev("Meeting", [("Possible", None)], participant=["serguei-lavrov", "wang-yi"])]),
    # a planned meeting: Possible, dated ahead
    ("Xi Jinping et Vladimir Poutine doivent se rencontrer vendredi à Kazan.",
     [ev("Meeting", [("Possible", None)], ["2024-11-22"], participant=["vladimir-poutine", "xi-jinping"],
         place=["kazan"])]),
    # a visit is not the meeting the article denies: it stays a visit, or joins the meeting that did happen
    ("Sergueï Choïgou s'est rendu à Pyongyang mardi. Il n'a pas rencontré Kim Jong-un.",
     [ev("Meeting", [("Asserted", None)], ["2024-11-19"], participant=["coree-du-nord", "serguei-choigou"],
         place=["pyongyang"]),
      ev("Meeting", [("Denied", None)], participant=["kim-jong-un", "serguei-choigou"])]),
    ("Sergueï Choïgou s'est rendu à Pyongyang mardi. Il n'a pas rencontré Kim Jong-un, mais il s'est "
     "entretenu avec Choe Son-hui.",
     [ev("Meeting", [("Asserted", None), ("Asserted", None)], ["2024-11-19"],
         participant=["choe-son-hui", "serguei-choigou"], place=["pyongyang"]),
      ev("Meeting", [("Denied", None)], participant=["kim-jong-un", "serguei-choigou"])]),
    # a vague leader noun is the country's leader, not another official of it the article names
    ("Kim Jong-un a visité une usine lundi. L'ambassadeur nord-coréen Sin Hong-chol était à Moscou. "
     "Le dirigeant nord-coréen a reçu Vladimir Poutine mardi.",
     [ev("Meeting", [("Asserted", None)], ["2024-11-19"], participant=["kim-jong-un", "vladimir-poutine"])]),
    ("Kim Jong-un a visité une usine lundi. La ministre nord-coréenne des Affaires étrangères Choe Son-hui "
     "était présente. Le numéro un nord-coréen a rencontré Sergueï Lavrov à Wonsan.",
     [ev("Meeting", [("Asserted", None)], participant=["kim-jong-un", "serguei-lavrov"], place=["wonsan"])]),
    ("Vladimir Poutine a parlé lundi. Le ministre russe de la Défense Andreï Belooussov était à Pékin. "
     "Le leader russe a rencontré Xi Jinping.",
     [ev("Meeting", [("Asserted", None)], participant=["vladimir-poutine", "xi-jinping"])]),
    # ... and never an official known by another office when the leader is not named
    ("L'ambassadeur nord-coréen Sin Hong-chol était à Moscou. Le dirigeant nord-coréen a reçu Vladimir Poutine.",
     []),
    # a denial naming no side denies the article's transfers between the deniers, before or after it
    ("Selon Kiev, la Biélorussie aurait livré des obus et des drones à la Russie. "
     "Minsk et Moscou démentent toute livraison d'armes.",
     [ev("ArmsTransfer", [("Reported", "ukraine"), ("Denied", "bielorussie")],
         supplier=["bielorussie"], recipient=["russie"]),
      ev("ArmsTransfer", [("Reported", "ukraine"), ("Denied", "bielorussie")],
         supplier=["bielorussie"], recipient=["russie"])]),
    ("Le Kremlin dément toute livraison de drones. Pourtant, selon Kiev, l'Iran a livré des drones à la Russie.",
     [ev("ArmsTransfer", [("Denied", "russie"), ("Reported", "ukraine")], supplier=["iran"], recipient=["russie"])]),
    ("Selon Kiev, la Biélorussie aurait livré des obus à la Russie. Minsk dément toute livraison d'armes.",
     [ev("ArmsTransfer", [("Reported", "ukraine"), ("Denied", "bielorussie")],
         supplier=["bielorussie"], recipient=["russie"])]),
    # ... of the kind it names only, and of the class it names only
    ("La Corée du Nord aurait livré des obus à la Russie. Moscou dément toute livraison de missiles.",
     [ev("ArmsTransfer", [("Reported", None)], supplier=["coree-du-nord"], recipient=["russie"])]),
    ("Téhéran a livré des drones à Moscou. Téhéran et Moscou démentent tout envoi de soldats.",
     [ev("ArmsTransfer", [("Asserted", None)], supplier=["iran"], recipient=["russie"])]),
    # "une partie de ces troupes": the troops of the sentence before
    ("La Corée du Nord a déployé 5 000 militaires en Russie. Une partie de ces troupes a été envoyée près de Belgorod.",
     [ev("Deployment", [("Asserted", None), ("Asserted", None)], quantity="5000",
         sender=["coree-du-nord"], recipient=["russie"], place=["belgorod"])]),
]


@pytest.mark.parametrize("text, expected", SEVERAL)
def test_extract_several_event_rules(text, expected):
    kg = graph(text, ARTICLE_DATE)
    assert summary(kg) == sorted(expected), describe(kg)


# ============================================================================================
# Negatives: no event of any class
# ============================================================================================
NEGATIVES = [
    # "ils" stands for troops only when the sentence before had troops as subject
    "Kim Jong-un a quitté Moscou. Ils ont été déployés dans la région de Koursk.",
    # fighting somewhere is not being sent there; oil is not arms
    "Des soldats nord-coréens combattent en Ukraine.",
    "La Russie a livré du pétrole à la Corée du Nord.",
    "Vladimir Poutine a rencontré des difficultés à Moscou.",
    # fears, warnings, prohibitions
    "Séoul craint que ce sommet ne débouche sur des livraisons d'armes à Moscou.",
    "La crainte de nouvelles livraisons d'obus à la Russie grandit à Kiev.",
    "Les sanctions interdisent toute livraison d'armes à la Corée du Nord.",
    "Les États-Unis exhortent la Chine à ne pas fournir d'armes à la Russie.",
    # talk, support, messages: no meeting
    "Les deux pays ont discuté de coopération militaire.",
    "Le ministre a reçu l'assurance d'un soutien total de Pékin.",
    "Sergueï Lavrov a envoyé un message à Pékin.",
    "Xi Jinping a envoyé une lettre de félicitations à Kim Jong-un.",
    "Vladimir Poutine a reçu des félicitations de Xi Jinping.",
    "Moscou a envoyé ses félicitations à Pyongyang.",
    "Le Kremlin a salué la décision de Pyongyang.",
    "Pyongyang a exprimé sa solidarité avec Moscou.",
    # meeting words without participants
    "La réunion a été reportée sans date.",
    "Les négociations ont échoué.",
    "La visite du musée a été annulée.",
    "Le président a reçu des journalistes au Kremlin.",
    "Il a rencontré des difficultés.",
    "Vladimir Poutine a rencontré des difficultés à Moscou.",
    "Kim Jong-un s'est rendu dans une usine de drones.",
    "Aucune rencontre n'est prévue entre Vladimir Poutine et Volodymyr Zelensky.",
    # capacity, production, use: no transfer
    "L'Iran est un important fabricant de drones.",
    "La Russie produit des millions d'obus chaque année.",
    "La production d'obus a fortement augmenté en Corée du Nord.",
    "Kim Jong-un a inspecté une usine de munitions.",
    "Kim Jong-un a assisté à un essai de missile.",
    "La Corée du Nord a lancé un missile balistique en mer du Japon.",
    "Les chars russes ont été détruits près de Koursk.",
    "Les forces russes ont bombardé Kharkiv.",
    # givers of things that are not arms, "fournir" in another sense
    "Les informations fournies par les services de renseignement ukrainiens restent partielles.",
    "Séoul a fourni une aide humanitaire à Kiev.",
    "La Chine fournit du pétrole à la Corée du Nord.",
    "Les exportations de gaz russe vers la Chine ont progressé.",
    "Le journaliste a livré son analyse de la guerre.",
    "Moscou pourrait fournir des technologies spatiales à Pyongyang.",
    "La Corée du Nord a envoyé une délégation sportive en Russie.",
    "Kim Jong-un a reçu une lettre de Vladimir Poutine.",
    "Kiev demande davantage d'obus à ses alliés occidentaux.",
    # transport, not an agreement
    "Un vol direct entre Pékin et Pyongyang a été inauguré.",
    "Le traité de non-prolifération reste au cœur des débats.",
    "Un accord a été évoqué.",
    # troops at home
    "Les soldats ukrainiens défendent la région de Kharkiv.",
    # a noun that is also a verb form, with its article
    "Le livre de Kim Jong-un sur la Russie est paru à Pyongyang.",
    # a denial naming no side, with no event of the article to deny
    "Pyongyang dément toute livraison d'armes.",
    # a trigger without any resolvable argument
    "Des armes ont été livrées la semaine dernière.",
    "Ils ont livré des obus.",
    "Des soldats ont été déployés.",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_extract_negative_rules(text):
    kg = graph(text)
    assert kg.events == [], describe(kg)
