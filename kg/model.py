"""The plain data that flows between kg's stages. No behaviour beyond small conveniences."""
from __future__ import annotations

from dataclasses import dataclass, field
import datetime
from decimal import Decimal

ENTITY_CLASSES = ("Person", "State", "Organization", "Place")
EVENT_CLASSES = ("Meeting", "Agreement", "ArmsTransfer", "Deployment")
FACTUALITIES = ("Asserted", "Reported", "Possible", "Denied")
ITEM_CATEGORIES = ("Ammunition", "Missiles", "RocketLaunchers", "Artillery", "MilitaryEquipment")
QUALIFIERS = ("Exactly", "Approximately", "AtLeast", "AtMost")


@dataclass(frozen=True)
class Segment:
    """A span of an article's text: `body` is read for facts; `heading` and `boilerplate` are not."""

    start: int
    end: int
    kind: str  # "body" | "heading" | "boilerplate"


@dataclass(frozen=True)
class Article:
    """One article as stored: `text` is exactly what offsets index into."""

    id: str  # stable identifier: the file name without extension
    files: tuple[str, ...]  # every file name that held this same text (duplicates by content)
    text: str
    segments: tuple[Segment, ...]
    title: str | None = None
    date: datetime.date | None = None
    source: str | None = None
    url: str | None = None

    def body(self) -> list[Segment]:
        return [s for s in self.segments if s.kind == "body"]


@dataclass(frozen=True)
class Quantity:
    value: Decimal
    qualifier: str = "Exactly"  # one of QUALIFIERS


@dataclass(frozen=True)
class DateValue:
    """A date only as precise as the text allows: `lexical` is the xsd lexical form."""

    lexical: str  # "2024-06-19", "2024-06", "2024", "--06-19"
    datatype: str  # "date" | "gYearMonth" | "gYear" | "gMonthDay"


@dataclass
class Entity:
    key: str  # slug, unique in the graph
    cls: str  # one of ENTITY_CLASSES
    label: str
    alt_labels: set[str] = field(default_factory=set)
    wikidata: str | None = None
    roles: set[str] = field(default_factory=set)
    affiliations: set[str] = field(default_factory=set)  # entity keys
    articles: set[str] = field(default_factory=set)  # article ids where mentioned


@dataclass(frozen=True)
class Evidence:
    article: str  # article id
    start: int
    end: int
    text: str
    factuality: str  # one of FACTUALITIES
    trigger: str
    trigger_start: int
    trigger_end: int
    attributed_to: str | None = None  # entity key
    quantity: Quantity | None = None
    date: DateValue | None = None


@dataclass
class EventMention:
    """One sentence's report of an event, before resolution across sentences and articles."""

    cls: str  # one of EVENT_CLASSES
    roles: dict[str, tuple[str, ...]]  # contract role -> entity keys (participant, place, party, ...)
    evidence: Evidence
    item: str | None = None
    item_category: str | None = None
    name: str | None = None  # an agreement's name as the text gives it


@dataclass
class Event:
    key: str  # content-derived, stable across corpora
    cls: str
    roles: dict[str, tuple[str, ...]]
    evidence: list[Evidence]
    label: str
    items: tuple[str, ...] = ()
    item_categories: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    quantity: Quantity | None = None
    dates: tuple[DateValue, ...] = ()
    conflict: bool = False


@dataclass
class KnowledgeGraph:
    """Everything one build produces, ready to export."""

    articles: list[Article]
    entities: dict[str, Entity]
    events: list[Event]
