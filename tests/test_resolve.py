"""One node per real event across articles: merging, keeping apart, conflicts (real model)."""
from datetime import date
from decimal import Decimal
from functools import lru_cache

import pytest

from kg.extract import RawEvent
from kg.model import DateValue, Entity
from kg.reading import read_texts
from kg.resolve import Cluster, Resolved, absorb_visits, combine_dates, merge_date_parts


@lru_cache(maxsize=None)
def graph(*texts: str):
    return read_texts({f"a{i}": text for i, text in enumerate(texts)})


def of_class(kg, cls):
    return [e for e in kg.events if e.cls == cls]


def test_resolve_same_meeting_in_two_articles_is_one_node():
    kg = graph("Kim Jong-un a reçu Sergueï Lavrov à Wonsan.",
               "Sergueï Lavrov s'est entretenu avec Kim Jong-un à Wonsan samedi.")
    meetings = of_class(kg, "Meeting")
    assert len(meetings) == 1
    assert sorted(e.article for e in meetings[0].evidence) == ["a0", "a1"]


def test_resolve_meetings_of_the_same_people_in_different_places_stay_apart():
    kg = graph("Kim Jong-un a rencontré Vladimir Poutine au cosmodrome de Vostotchny.",
               "Vladimir Poutine a rencontré Kim Jong-un à Pyongyang.")
    places = sorted(e.roles["place"] for e in of_class(kg, "Meeting"))
    assert places == [("cosmodrome-de-vostotchny",), ("pyongyang",)]


def test_resolve_different_numbers_are_kept_on_their_evidence_and_flagged():
    kg = graph("La Corée du Nord a envoyé 12 000 soldats en Russie.",
               "La Corée du Nord a envoyé plus de 10 000 soldats en Russie.")
    (deployment,) = of_class(kg, "Deployment")
    assert deployment.conflict is True
    assert deployment.quantity is None
    assert sorted((e.quantity.value, e.quantity.qualifier) for e in deployment.evidence) == [
        (Decimal("10000"), "AtLeast"), (Decimal("12000"), "Exactly")]


def test_resolve_the_same_number_is_the_event_quantity():
    kg = graph("La Corée du Nord a livré 5 000 obus à la Russie.",
               "Selon Séoul, la Corée du Nord a livré 5 000 obus à la Russie.")
    (transfer,) = of_class(kg, "ArmsTransfer")
    assert (transfer.quantity.value, transfer.conflict) == (Decimal("5000"), False)


def test_resolve_agreements_of_different_kinds_stay_apart():
    kg = graph("Moscou et Pyongyang ont conclu un accord sur la construction d'un pont routier.",
               "La Russie et la Corée du Nord ont signé un traité de défense mutuelle.")
    names = sorted(e.names[0] for e in of_class(kg, "Agreement"))
    assert names == ["accord sur la construction d'un pont routier", "traité de défense mutuelle"]


def test_resolve_event_keys_do_not_depend_on_other_articles():
    alone = graph("Kim Jong-un a reçu Sergueï Lavrov à Wonsan.")
    with_more = graph("Kim Jong-un a reçu Sergueï Lavrov à Wonsan.",
                      "La Corée du Nord a livré des obus à la Russie.")
    assert [e.key for e in of_class(alone, "Meeting")] == [e.key for e in of_class(with_more, "Meeting")]


@pytest.mark.parametrize("dates, expected", [
    ([("--06-19", "gMonthDay"), ("2024", "gYear")], [("2024-06-19", "date")]),
    ([("2024-06", "gYearMonth"), ("2024-06-19", "date")], [("2024-06-19", "date")]),
    ([("2024", "gYear"), ("2024", "gYear")], [("2024", "gYear")]),
    ([("2024-06", "gYearMonth"), ("2024-10", "gYearMonth")], None),
    ([("2023", "gYear"), ("2024-06-19", "date")], None),
])
def test_resolve_combines_dates_only_when_they_agree(dates, expected):
    combined = combine_dates([DateValue(*d) for d in dates])
    assert (None if combined is None else [(d.lexical, d.datatype) for d in combined]) == expected


def test_resolve_relative_dates_use_each_article_date():
    kg = read_texts({"x": "Kim Jong-un a reçu Sergueï Lavrov samedi."}, dates={"x": date(2025, 7, 13)})
    (meeting,) = of_class(kg, "Meeting")
    assert [d.lexical for d in meeting.dates] == ["2025-07-12"]


# -- resolution parts on hand-made mentions (no model) ---------------------------------------------
PEOPLE = {key: Entity(key=key, cls=cls, label=key) for key, cls in
          [("ana", "Person"), ("ben", "Person"), ("carl", "Person"), ("paris", "Place"), ("lyon", "Place")]}


def meeting(article: str, start: int, participants: tuple[str, ...], places: tuple[str, ...] = (),
            date: DateValue | None = None, factuality: str = "Asserted") -> Resolved:
    raw = RawEvent(cls="Meeting", roles={}, sent=0, paragraph=0, start=start, end=start + 5, text="texte",
                   trigger="vu", trigger_start=start, trigger_end=start + 2, date=date, factuality=factuality)
    roles = {"participant": participants} | ({"place": places} if places else {})
    return Resolved(article, raw, roles, (article, start, start))


def test_resolve_a_one_person_visit_is_absorbed_only_by_a_host_of_its_own_article():
    host = meeting("a", 0, ("ana", "ben"), ("paris",))
    visit_elsewhere = meeting("b", 0, ("ana",), ("lyon",))
    visit_here = meeting("a", 10, ("ana",), ("lyon",))
    absorb_visits([host, visit_elsewhere, visit_here], PEOPLE)
    assert visit_elsewhere.roles == {"participant": ("ana",), "place": ("lyon",)}
    assert visit_here.roles == {"participant": ("ana", "ben"), "place": ("paris", "lyon")}


def test_resolve_an_absorbed_visit_hosts_the_next_one_before_a_later_meeting():
    first = meeting("a", 0, ("ana",), ("lyon",))
    host = meeting("a", 10, ("ana", "ben"))
    visit = meeting("a", 20, ("ben",))
    absorb_visits([first, host, visit], PEOPLE)
    assert first.roles == {"participant": ("ana", "ben"), "place": ("lyon",)}
    assert visit.roles == {"participant": ("ana", "ben"), "place": ("lyon",)}  # from `first`, now a host


def test_resolve_a_one_person_visit_prefers_a_host_that_is_not_denied():
    denied = meeting("a", 0, ("ana", "ben"), ("paris",), factuality="Denied")
    held = meeting("a", 10, ("ana", "carl"))
    visit = meeting("a", 20, ("ana",), ("lyon",))
    absorb_visits([denied, held, visit], PEOPLE)
    assert visit.roles == {"participant": ("ana", "carl"), "place": ("lyon",)}


def test_resolve_a_one_person_visit_is_not_absorbed_by_a_denied_meeting():
    visit = meeting("a", 0, ("ana",), ("lyon",))
    denied = meeting("a", 10, ("ana", "ben"), factuality="Denied")
    absorb_visits([visit, denied], PEOPLE)
    assert visit.roles == {"participant": ("ana",), "place": ("lyon",)}


@pytest.mark.parametrize("a, b, expected", [
    ((None, None, None), ("2024", None, None), ("2024", None, None)),
    ((None, "06", "19"), ("2024", "06", None), ("2024", "06", "19")),
    (("2024", "06", None), ("2024", "07", None), None),
    (None, ("2024", None, None), None),
])
def test_resolve_merges_date_parts_until_they_contradict(a, b, expected):
    assert merge_date_parts(a, b) == expected


@pytest.mark.parametrize("first, second, third, accepted", [
    (("--06-19", "gMonthDay"), ("2024", "gYear"), ("2024-06-19", "date"), True),
    (("--06-19", "gMonthDay"), ("2024", "gYear"), ("2023-06", "gYearMonth"), False),
    (("2024-06", "gYearMonth"), None, ("--06-20", "gMonthDay"), True),
    (("2024-06", "gYearMonth"), None, ("2024-07-01", "date"), False),
])
def test_resolve_cluster_accepts_what_combine_dates_accepts(first, second, third, accepted):
    dates = [DateValue(*d) if d else None for d in (first, second, third)]
    grown = Cluster("sig", meeting("a", 0, ("ana", "ben"), date=dates[0]))
    grown.absorb(Cluster("sig", meeting("b", 0, ("ana", "ben"), date=dates[1])))
    newcomer = Cluster("sig", meeting("c", 0, ("ana", "ben"), date=dates[2]))
    assert grown.accepts(newcomer) is accepted
    assert (combine_dates([d for d in dates if d]) is not None) is accepted
    assert [m.article for m in grown.members] == ["a", "b"]
