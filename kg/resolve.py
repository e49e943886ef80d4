"""The corpus-wide ("reduce") half of kg: one node per real entity and per real event.

Entities: gazetteer keys first; unknown names cluster by their normalised form; a lone surname
resolves to the one person named in full in the same article (else in the corpus), and an
ambiguous one is dropped, never guessed. Descriptions ("le dirigeant nord-coréen") resolve to
the one person of the article with that nationality and office.

Events: mentions of the same happening merge across sentences and articles by their key
arguments (people of a meeting, parties of an agreement, supplier/recipient/category of a
transfer, sender/recipient of a deployment), kept apart when places or dates contradict.
"""
from __future__ import annotations

import functools
from collections import Counter, defaultdict
from dataclasses import dataclass

from kg.extract import ArticleFacts, RawEvent
from kg.gazetteer import Gazetteer, normalize
from kg.gcpause import cyclic_gc_paused
from kg.lexicon import load_lexicon, plain
from kg.mentions import Mention, strip_determiner
from kg.model import Article, DateValue, Entity, Event, Evidence, KnowledgeGraph
from kg.slug import short_hash, slugify

ROLE_ORDER = ("participant", "party", "signatory", "supplier", "sender", "recipient", "place")


@dataclass
class Resolved:
    """An event mention with entity keys instead of mention indexes."""

    article: str
    raw: RawEvent
    roles: dict[str, tuple[str, ...]]
    order: tuple


class EntityResolver:
    def __init__(self, gazetteer: Gazetteer, articles: dict[str, Article]):
        self.gaz = gazetteer
        self.articles = articles
        self.entities: dict[str, Entity] = {}
        self.speaks_for: dict[tuple[str, int], str] = {}
        self.any_role = load_lexicon().words("people", "any_role")
        self.leader_nouns = load_lexicon().words("people", "leader_nouns")
        self.leader_roles = load_lexicon().words("people", "leader_roles")

    def resolve(self, facts: list[ArticleFacts]) -> dict[tuple[str, int], str]:
        """Entity key of every mention that resolves, by (article id, mention index)."""
        keys: dict[tuple[str, int], str] = {}
        full_names = self.full_person_names(facts)
        for article in facts:
            for m in article.mentions:
                if m.kind in ("name", "demonym") and m.key:
                    keys[(article.article, m.idx)] = m.key
                elif m.kind == "name" and m.cls == "Person":
                    key = self.person_key(m, article, full_names)
                    if key:
                        keys[(article.article, m.idx)] = key
                elif m.kind == "name":
                    keys[(article.article, m.idx)] = self.unknown_key(m)
        for article in facts:  # descriptions and "son pays" need the article's resolved people
            people = self.article_people(article, keys)
            for m in article.mentions:
                if m.kind == "description":
                    key = self.describe(m, people)
                    if key:
                        keys[(article.article, m.idx)] = key
                    elif m.affiliation:  # "le ministre sud-coréen de la Défense" unnamed: speaks for his state
                        self.speaks_for[(article.article, m.idx)] = m.affiliation
            for m in article.mentions:
                if m.kind == "country_of" and m.ref is not None:
                    owner = keys.get((article.article, m.ref))
                    state = self.state_of(owner) if owner else None
                    if state:
                        keys[(article.article, m.idx)] = state
        self.build_entities(facts, keys)
        return keys

    def ensure(self, key: str, article: str) -> str | None:
        """A gazetteer entity the text names only through a nationality, made a node when needed."""
        if key not in self.entities:
            entry = self.gaz.entries.get(key)
            if entry is None:
                return None
            self.entities[key] = Entity(key=key, cls=entry.cls, label=entry.label, wikidata=entry.wikidata)
        self.entities[key].articles.add(article)
        return key

    # -- people --------------------------------------------------------------------------------
    def full_person_names(self, facts) -> dict[str, dict[str, set[str]]]:
        """Per article (and "*" for the corpus): surname/first-name word → keys of people named in full."""
        index: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for article in facts:
            for m in article.mentions:
                if m.kind != "name" or m.cls != "Person":
                    continue
                key = m.key
                name = normalize(strip_determiner(m.surface))
                if not key and len(name.split()) >= 2:
                    key = slugify(name)
                if not key:
                    continue
                entry = self.gaz.entries.get(key)
                names = {name} | ({normalize(n) for n in entry.names()} if entry else set())
                for full in names:
                    words = full.split()
                    if len(words) >= 2:
                        for word in words:
                            index[article.article][word].add(key)
                            index["*"][word].add(key)
        return index

    def person_key(self, m: Mention, article: ArticleFacts, full_names) -> str | None:
        name = normalize(strip_determiner(m.surface))
        words = name.split()
        if len(words) >= 2:
            return slugify(name)
        word = words[0] if words else ""
        for scope in (article.article, "*"):
            candidates = full_names.get(scope, {}).get(word, set())
            if len(candidates) == 1:
                return next(iter(candidates))
            if len(candidates) > 1:
                return None  # ambiguous: never guessed
        ambiguous = self.gaz.ambiguous(m.surface)
        return None if ambiguous else slugify(name) if name else None

    def unknown_key(self, m: Mention) -> str:
        return slugify(normalize(strip_determiner(m.surface)))

    def article_people(self, article: ArticleFacts, keys) -> list[str]:
        out = []
        for m in article.mentions:
            key = keys.get((article.article, m.idx))
            if key and m.cls == "Person" and m.kind == "name" and key not in out:
                out.append(key)
        return out

    def describe(self, m: Mention, people: list[str]) -> str | None:
        """The one person of the article with the description's nationality (and office, if specific)."""
        matches = []
        for key in people:
            if m.affiliation not in self.affiliations_of(key):
                continue
            if m.description not in self.any_role:
                roles = self.roles_of(key)
                if roles and not any(m.description in plain(r) for r in roles):
                    continue
            matches.append(key)
        if m.description in self.leader_nouns:
            # "le dirigeant nord-coréen" is the country's leader, not the ambassador the article also names;
            # a person known only by another office is never its leader
            leaders = [k for k in matches if {plain(r) for r in self.roles_of(k)} & self.leader_roles]
            matches = leaders or [k for k in matches if not self.roles_of(k)]
        return matches[0] if len(matches) == 1 else None

    def affiliations_of(self, key: str) -> set[str]:
        out = set(self.text_affiliations.get(key, set())) if hasattr(self, "text_affiliations") else set()
        entry = self.gaz.entries.get(key)
        if entry and entry.affiliation:
            out.add(entry.affiliation)
            parent = self.gaz.entries.get(entry.affiliation)
            if parent and parent.affiliation:
                out.add(parent.affiliation)
        return out

    def roles_of(self, key: str) -> set[str]:
        out = set(self.text_roles.get(key, set())) if hasattr(self, "text_roles") else set()
        entry = self.gaz.entries.get(key)
        if entry and entry.role:
            out.add(entry.role)
        return out

    def state_of(self, key: str) -> str | None:
        entry = self.gaz.entries.get(key)
        if entry and entry.cls == "State":
            return key
        states = [a for a in sorted(self.affiliations_of(key)) if self.gaz.entries.get(a) and self.gaz.entries[a].cls == "State"]
        return states[0] if states else None

    def prepare(self, facts: list[ArticleFacts]) -> None:
        """Offices and nationalities read from appositions, before descriptions are resolved."""
        self.text_roles: dict[str, set[str]] = defaultdict(set)
        self.text_affiliations: dict[str, set[str]] = defaultdict(set)
        for article in facts:
            for m in article.mentions:
                if m.kind == "name" and m.cls == "Person":
                    key = m.key or (slugify(normalize(strip_determiner(m.surface)))
                                    if len(m.surface.split()) >= 2 else None)
                    if key and m.affiliation:
                        self.text_affiliations[key].add(m.affiliation)
                    if key and m.role:
                        self.text_roles[key].add(m.role)

    # -- entities ------------------------------------------------------------------------------
    def build_entities(self, facts, keys) -> None:
        surfaces: dict[str, Counter] = defaultdict(Counter)
        classes: dict[str, Counter] = defaultdict(Counter)
        for article in facts:
            for m in article.mentions:
                key = keys.get((article.article, m.idx))
                if not key:
                    continue
                entity = self.entities.get(key)
                if entity is None:
                    entry = self.gaz.entries.get(key)
                    entity = Entity(key=key, cls=entry.cls if entry else m.cls,
                                    label=entry.label if entry else "", wikidata=entry.wikidata if entry else None)
                    self.entities[key] = entity
                entity.articles.add(article.article)
                if m.kind == "name":
                    surface = strip_determiner(m.surface)
                    surfaces[key][surface] += 1
                    classes[key][m.cls] += 1
                    if m.role:
                        entity.roles.add(m.role)
                    if m.affiliation and self.ensure(m.affiliation, article.article):
                        entity.affiliations.add(m.affiliation)  # "le ministre russe": the text names Russia
        for key, entity in self.entities.items():
            forms = surfaces.get(key, Counter())
            if not entity.label:
                # the fullest usual form: most words, then most frequent, then alphabetical
                entity.label = sorted(forms, key=lambda s: (-len(s.split()), -forms[s], s))[0] if forms else key
                entity.cls = sorted(classes[key], key=lambda c: (-classes[key][c], c))[0] if classes[key] else entity.cls
            entity.alt_labels = {s for s in forms if s != entity.label}
            if entity.cls == "Person" and not entity.affiliations:
                entry = self.gaz.entries.get(key)
                if entry and entry.affiliation:
                    entity.affiliations.add(entry.affiliation)
        # affiliations point at nodes of the graph; a state the articles never name is no node of it
        for entity in list(self.entities.values()):
            entity.affiliations = {a for a in entity.affiliations if a in self.entities}


@cyclic_gc_paused()
def resolve_corpus(articles: list[Article], facts: list[ArticleFacts], gazetteer: Gazetteer) -> KnowledgeGraph:
    by_id = {a.id: a for a in articles}
    resolver = EntityResolver(gazetteer, by_id)
    resolver.prepare(facts)
    keys = resolver.resolve(facts)
    mentions = []
    for article in facts:
        for raw in article.events:
            roles = {}
            for role, idxs in raw.roles.items():
                found = tuple(dict.fromkeys(keys[(article.article, i)] for i in idxs if (article.article, i) in keys))
                if found:
                    roles[role] = found
            mentions.append(Resolved(article.article, raw, roles, (article.article, raw.start, raw.trigger_start)))
    mentions = [m for m in (complete(m, resolver) for m in mentions) if m is not None]
    events = merge_events(mentions, resolver, keys)
    used = {k for e in events for keys_ in e.roles.values() for k in keys_}
    used |= {ev.attributed_to for e in events for ev in e.evidence if ev.attributed_to}
    entities = resolver.entities
    return KnowledgeGraph(articles=sorted(articles, key=lambda a: a.id), entities=entities,
                          events=sorted(events, key=lambda e: e.key))


def complete(m: Resolved, resolver: EntityResolver) -> Resolved | None:
    """Derive what the contract asks and drop mentions without the arguments their class needs."""
    roles = {k: v for k, v in m.roles.items()}
    ents = resolver.entities
    cls_of = lambda k: ents[k].cls if k in ents else None  # noqa: E731
    if m.raw.cls == "Meeting":
        participants = tuple(k for k in roles.get("participant", ()) if cls_of(k) in ("Person", "State", "Organization"))
        people = [k for k in participants if cls_of(k) == "Person"]
        if not people or len(participants) < 2:
            return None
        roles["participant"] = participants
    elif m.raw.cls == "Agreement":
        signatories = tuple(k for k in roles.get("signatory", ()) if cls_of(k) == "Person")
        parties = [k for k in roles.get("party", ()) if cls_of(k) in ("State", "Organization")]
        for person in signatories:
            state = resolver.state_of(person)
            if state and state not in parties:
                parties.append(state)
        if not parties:
            return None
        roles["party"], roles["signatory"] = tuple(parties), signatories
    elif m.raw.cls in ("ArmsTransfer", "Deployment"):
        # "Kim Jong-un a envoyé des soldats": a leader acts for his state
        as_state = lambda k: k if cls_of(k) == "State" else resolver.state_of(k) if cls_of(k) == "Person" else None  # noqa: E731
        giver = "supplier" if m.raw.cls == "ArmsTransfer" else "sender"
        for role in (giver, "recipient"):
            roles[role] = tuple(dict.fromkeys(s for s in (as_state(k) for k in roles.get(role, ())) if s))
        roles["recipient"] = tuple(k for k in roles["recipient"] if k not in roles[giver])
        for key in roles[giver] + roles["recipient"]:
            resolver.ensure(key, m.article)
        if not roles[giver] and not roles["recipient"]:
            return None
    if "place" in roles:
        roles["place"] = tuple(k for k in roles["place"] if cls_of(k) == "Place")
    m.roles = {k: v for k, v in roles.items() if v}
    return m


# -- event merging ------------------------------------------------------------------------------
def signature(m: Resolved, entities) -> tuple:
    roles, raw = m.roles, m.raw
    if raw.cls == "Meeting":
        people = frozenset(k for k in roles["participant"] if entities[k].cls == "Person")
        if len(people) == 1:
            return ("Meeting", people, frozenset(k for k in roles["participant"] if entities[k].cls != "Person"))
        return ("Meeting", people)
    if raw.cls == "Agreement":
        return ("Agreement", frozenset(roles["party"]))
    if raw.cls == "ArmsTransfer":
        return ("ArmsTransfer", roles.get("supplier", ()), roles.get("recipient", ()), raw.category)
    return ("Deployment", roles.get("sender", ()), roles.get("recipient", ()))


@functools.lru_cache(maxsize=1)
def agreement_kinds() -> tuple[tuple[str, frozenset[str]], ...]:
    """The lexicon's agreement kinds, in the order they are tried (alphabetical)."""
    return tuple(sorted(load_lexicon().table("agreement.kinds").items()))


@functools.lru_cache(maxsize=65536)  # asked for every agreement mention that joins a cluster; names repeat
def agreement_kind(name: str) -> str:
    """What an agreement is about: a kind of the lexicon, "" for a bare "accord"/"traité" (any kind),
    or the name itself when it says something the lexicon does not know ("accord sur un pont")."""
    words = plain(name).replace("'", " ").split()
    distinct = set(words)
    for kind, vocabulary in agreement_kinds():
        if distinct & vocabulary:
            return kind
    return "" if len(words) <= 1 else "other:" + slugify(name)


def dates_compatible(a: DateValue | None, b: DateValue | None) -> bool:
    if a is None or b is None:
        return True
    return combine_dates([a, b]) is not None


def combine_dates(dates: list[DateValue]) -> list[DateValue] | None:
    """The most precise dates consistent with all of `dates`, or None when they contradict."""
    parts: DateParts | None = NO_DATE
    for d in dates:
        parts = merge_date_parts(parts, date_parts(d))
        if parts is None:
            return None
    year, month, day = parts
    if year and month and day:
        return [DateValue(f"{year}-{month}-{day}", "date")]
    if year and month:
        return [DateValue(f"{year}-{month}", "gYearMonth")]
    if month and day:
        out = [DateValue(f"--{month}-{day}", "gMonthDay")]
        return out + ([DateValue(year, "gYear")] if year else [])
    if year:
        return [DateValue(year, "gYear")]
    return []


DateParts = tuple[str | None, str | None, str | None]  # year, month, day as the lexical form gives them


def date_parts(d: DateValue) -> DateParts:
    lex = d.lexical
    if d.datatype == "gMonthDay":
        return (None, lex[2:4], lex[5:7])
    if d.datatype == "gYear":
        return (lex, None, None)
    if d.datatype == "gYearMonth":
        return (lex[:4], lex[5:7], None)
    return (lex[:4], lex[5:7], lex[8:10])


def merge_date_parts(a: DateParts | None, b: DateParts | None) -> DateParts | None:
    """What two sets of dates say together, or None when they contradict (or either already does).

    Two dates contradict when they give different values to the same part, whatever their
    order; so a cluster can merge its members' parts one date at a time, as combine_dates does.
    """
    if a is None or b is None:
        return None
    merged = []
    for mine, theirs in zip(a, b):
        if mine is not None and theirs is not None and mine != theirs:
            return None
        merged.append(theirs if mine is None else mine)
    return tuple(merged)


NO_DATE: DateParts = (None, None, None)


class Cluster:
    """Mentions of one happening. What `accepts` compares (places, agreement kinds, the dates'
    parts) is kept up to date as members join, so a comparison costs the same however big the
    cluster: members join only through `add` and `absorb`."""

    def __init__(self, sig, first: Resolved):
        self.sig = sig
        self.members: list[Resolved] = []
        self.places: set[str] = set()
        self.kinds: set[str] = set()
        self.dated = False  # any member has a date
        self.date_parts: DateParts | None = NO_DATE  # None: the members' dates contradict
        self.add(first)

    def add(self, m: Resolved) -> None:
        self.members.append(m)
        self.places.update(m.roles.get("place", ()))
        kind = agreement_kind(m.raw.name or "")
        if kind:
            self.kinds.add(kind)
        if m.raw.date:
            self.dated = True
            self.date_parts = merge_date_parts(self.date_parts, date_parts(m.raw.date))

    def absorb(self, other: "Cluster") -> None:
        """Take `other`'s members (in their order) after ours."""
        self.members.extend(other.members)
        self.places |= other.places
        self.kinds |= other.kinds
        if other.dated:
            self.dated = True
            self.date_parts = merge_date_parts(self.date_parts, other.date_parts)

    def accepts(self, other: "Cluster") -> bool:
        """Same happening unless places, dates or (for agreements) kinds contradict."""
        cls = self.members[0].raw.cls
        if cls == "Meeting":
            mine, theirs = self.places, other.places
            if mine and theirs and not mine & theirs:
                return False
        if cls == "Agreement":
            mine, theirs = self.kinds, other.kinds
            if mine and theirs and not mine & theirs:
                return False
        if cls in ("Meeting", "Agreement") and other.dated:
            if merge_date_parts(self.date_parts, other.date_parts) is None:
                return False
        return True


def merge_events(mentions: list[Resolved], resolver: EntityResolver, keys) -> list[Event]:
    entities = resolver.entities
    mentions = sorted(mentions, key=lambda m: m.order)
    mentions = absorb_visits(mentions, entities)
    partial, complete_, lone_parties = [], [], []
    for m in mentions:
        if m.raw.cls in ("ArmsTransfer", "Deployment") and len(m.roles.get("supplier", m.roles.get("sender", ()))) == 0 \
                or m.raw.cls in ("ArmsTransfer", "Deployment") and not m.roles.get("recipient"):
            partial.append(m)
        elif m.raw.cls == "Agreement" and len(m.roles["party"]) < 2:
            lone_parties.append(m)
        else:
            complete_.append(m)
    # first within each article (an article rarely reports two meetings of the same people without
    # saying how they differ), then across articles
    article_groups = gather([Cluster(signature(m, entities), m) for m in complete_], by_article=True)
    clusters = gather(article_groups, by_article=False)
    of_class: dict[str, list[Cluster]] = defaultdict(list)  # in the order of `clusters`
    for c in clusters:
        of_class[c.sig[0]].append(c)
    for m in lone_parties:  # "la Russie a ratifié le traité": the one agreement of that party, if only one
        single = Cluster(signature(m, entities), m)
        fits = [c for c in of_class["Agreement"] if set(m.roles["party"]) <= set(c.sig[1]) and c.accepts(single)]
        if len(fits) == 1:
            fits[0].add(m)
    for m in partial:  # a transfer missing one side joins the one cluster it fits, if only one
        giver = "supplier" if m.raw.cls == "ArmsTransfer" else "sender"
        fits = [c for c in of_class[m.raw.cls]
                if (not m.roles.get(giver) or c.sig[1] == m.roles[giver])
                and (not m.roles.get("recipient") or c.sig[2] == m.roles["recipient"])
                and (m.raw.cls == "Deployment" or c.sig[3] == m.raw.category)]
        if len(fits) == 1:
            fits[0].add(m)
        # else: one side of the exchange is unknown; an analyst's graph is better without it
    return assign_keys([to_event(c, resolver, keys) for c in clusters])


def gather(singles: list[Cluster], *, by_article: bool) -> list[Cluster]:
    """Fold clusters of the same signature together where they do not contradict, in order."""
    out: list[Cluster] = []
    by_sig: dict[tuple, list[Cluster]] = defaultdict(list)
    for cluster in singles:
        scope = (cluster.members[0].article if by_article else "", cluster.sig)
        for existing in by_sig[scope]:
            if existing.accepts(cluster):
                existing.absorb(cluster)
                break
        else:
            by_sig[scope].append(cluster)
            out.append(cluster)
    return out


def absorb_visits(mentions: list[Resolved], entities) -> list[Resolved]:
    """A one-person visit joins the same article's meeting of that person (the same trip), unless denied."""
    meetings: dict[str, list[Resolved]] = defaultdict(list)  # by article, in order
    for m in mentions:
        if m.raw.cls == "Meeting":
            meetings[m.article].append(m)
    out = []
    for m in mentions:
        if m.raw.cls == "Meeting":
            people = [k for k in m.roles["participant"] if entities[k].cls == "Person"]
            if len(people) == 1:
                # o.roles read now, not beforehand: a visit absorbed above has its host's people and may host m
                # a denied meeting ("il n'a pas rencontré Kim") is no trip to join: the visit then stays alone
                hosts = [o for o in meetings[m.article] if o is not m and people[0] in o.roles["participant"]
                         and o.raw.factuality != "Denied"
                         and len([k for k in o.roles["participant"] if entities[k].cls == "Person"]) >= 2]
                same_place = [o for o in hosts if set(o.roles.get("place", ())) & set(m.roles.get("place", ()))]
                target = (same_place or hosts)[:1]
                if target:
                    m.roles = {**m.roles, "participant": target[0].roles["participant"],
                               "place": tuple(dict.fromkeys(target[0].roles.get("place", ()) + m.roles.get("place", ())))}
                    if not m.roles["place"]:
                        del m.roles["place"]
        out.append(m)
    return out


def to_event(cluster: Cluster, resolver: EntityResolver, keys) -> Event:
    entities = resolver.entities
    members = cluster.members
    cls = members[0].raw.cls
    roles: dict[str, list[str]] = defaultdict(list)
    for m in members:
        for role, ks in m.roles.items():
            for k in ks:
                if k not in roles[role]:
                    roles[role].append(k)
    if cls == "Meeting":  # a host state beside two named people adds nothing the people do not say
        people = [k for k in roles["participant"] if entities[k].cls == "Person"]
        if len(people) >= 2:
            roles["participant"] = people + [k for k in roles["participant"] if entities[k].cls != "Person"
                                             and any(k in m.roles["participant"] and len([p for p in m.roles["participant"] if entities[p].cls == "Person"]) >= 2 for m in members)]
    evidence = {}
    for m in members:
        raw = m.raw
        ident = (m.article, raw.start, raw.end)
        if ident in evidence:
            continue
        source = None
        if raw.source is not None:
            source = keys.get((m.article, raw.source))
            if source is None and (m.article, raw.source) in resolver.speaks_for:
                source = resolver.ensure(resolver.speaks_for[(m.article, raw.source)], m.article)
        evidence[ident] = Evidence(
            article=m.article, start=raw.start, end=raw.end, text=raw.text, factuality=raw.factuality,
            trigger=raw.trigger, trigger_start=raw.trigger_start, trigger_end=raw.trigger_end,
            attributed_to=source if source in entities else None, quantity=raw.quantity, date=raw.date,
        )
    evidence_list = sorted(evidence.values(), key=lambda e: (e.article, e.start, e.trigger_start))
    quantities = {e.quantity for e in evidence_list if e.quantity}
    values = {q.value for q in quantities}
    dates = [e.date for e in evidence_list if e.date]
    combined = combine_dates(dates) if dates else []
    conflict = len(values) > 1 or combined is None
    if combined is None:
        combined = sorted(set(dates), key=lambda d: (d.lexical, d.datatype))
    quantity = next(iter(quantities)) if len(quantities) == 1 else None
    items = tuple(dict.fromkeys(m.raw.item for m in members if m.raw.item))
    categories = tuple(sorted({m.raw.category for m in members if m.raw.category}))
    names = tuple(dict.fromkeys(m.raw.name for m in members if m.raw.name))
    ordered = {r: tuple(roles[r]) for r in ROLE_ORDER if roles.get(r)}
    return Event(key="", cls=cls, roles=ordered, evidence=evidence_list, label=event_label(cls, ordered, entities, items, names),
                 items=items, item_categories=categories, names=names, quantity=quantity,
                 dates=tuple(combined), conflict=conflict)


def event_label(cls, roles, entities, items, names) -> str:
    label = lambda ks: " et ".join(entities[k].label for k in ks)  # noqa: E731
    if cls == "Meeting":
        people = [k for k in roles["participant"] if entities[k].cls == "Person"]
        others = [k for k in roles["participant"] if entities[k].cls != "Person"]
        text = "Rencontre " + " – ".join(entities[k].label for k in people + others)
        return text + (f" à {label(roles['place'])}" if roles.get("place") else "")
    if cls == "Agreement":
        return names[0] if names else "Accord " + " – ".join(entities[k].label for k in roles["party"])
    giver = roles.get("supplier") or roles.get("sender") or ()
    what = items[0] if items else ("troupes" if cls == "Deployment" else "armes")
    return f"{label(giver) or '?'} → {label(roles.get('recipient', ())) or '?'} : {what}"


def assign_keys(events: list[Event]) -> list[Event]:
    """Readable, content-derived keys: class and key arguments; a hash only to tell twins apart."""
    taken: dict[str, int] = {}
    for event in sorted(events, key=lambda e: identity(e)):
        base = slugify(event.cls) + "-" + "-".join(
            [k for r in ("participant", "party", "supplier", "sender", "recipient") for k in event.roles.get(r, ())]
            + [slugify(c) for c in event.item_categories][:1]
        )
        base = base[:90].rstrip("-")
        if base in taken:
            key = f"{base}-{short_hash(*identity(event), length=8)}"
        else:
            key = base
        taken[base] = taken.get(base, 0) + 1
        event.key = key
    return events


def identity(event: Event) -> tuple[str, ...]:
    first = event.evidence[0]
    return (event.cls, repr(sorted(event.roles.items())), ",".join(event.item_categories),
            ",".join(d.lexical for d in event.dates), first.article, str(first.start), str(first.trigger_start))
