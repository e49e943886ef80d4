"""Entity mentions in one parsed sentence: what the text names, before resolution across articles.

A mention is a named entity (gazetteer or statistical NER), a nationality standing for its state
("les accusations américaines", "des Nord-Coréens"), a description by office resolved later
against the article's people ("le dirigeant nord-coréen", "son homologue russe"), or a
possessive country ("son pays": the state of the person it refers to).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from kg.gazetteer import Gazetteer
from kg.lexicon import Lexicon, plain
from kg.syntax import cases, coordination_root

NER_CLASSES = {"PER": "Person", "ORG": "Organization", "LOC": "Place"}
KG_CLASSES = {"Person", "State", "Organization", "Place"}
DETERMINERS = re.compile(r"^(?:le |la |les |l'|l’|du |des |de la |de l'|de l’)", re.IGNORECASE)
HONORIFICS = re.compile(r"^(?:M\.|MM\.|Mme|Mmes|Mlle|Me|Dr|Pr|Mgr)\s+")
PRONOUNS = {"il", "elle"}
POSSESSIVES = {"son", "sa", "ses", "leur", "leurs"}


@dataclass
class Mention:
    """One reference to an entity; `key` is set when known locally (gazetteer, nationality)."""

    idx: int  # index in the article's mention list
    kind: str  # "name" | "demonym" | "description" | "country_of"
    cls: str
    surface: str
    start: int  # article offsets
    end: int
    sent: int  # sentence number in the article
    key: str | None = None
    role: str | None = None  # office from an apposition: "ministre des Affaires étrangères"
    affiliation: str | None = None  # state key from that office's nationality
    description: str | None = None  # kind "description": the office noun ("dirigeant")
    ref: int | None = None  # kind "country_of": the mention whose state is meant


class MentionFinder:
    """Finds the mentions of a sentence and maps tokens to them."""

    def __init__(self, gazetteer: Gazetteer, lexicon: Lexicon):
        self.gaz = gazetteer
        self.place_heads = lexicon.words("places", "place_heads")
        self.place_cases = lexicon.words("places", "place_cases")
        self.state_heads = lexicon.words("places", "state_heads")
        self.role_nouns = lexicon.words("people", "role_nouns")
        self.not_names = lexicon.words("people", "not_names")
        self.item_words = frozenset().union(*lexicon.table("items").values())
        self.time_words = lexicon.words("places", "time_words")
        # heads whose "à X" is a party to an exchange, not a location
        self.receiving_heads = self.state_heads.union(
            lexicon.words("transfer", "verbs"), lexicon.words("transfer", "acquire_verbs"),
            lexicon.words("transfer", "nouns"), lexicon.words("deployment", "verbs"),
            lexicon.words("deployment", "nouns"), lexicon.words("deployment", "personnel"),
            self.item_words, lexicon.words("places", "receiving_heads"),
        ) - lexicon.words("meeting", "verbs") - lexicon.words("meeting", "travel_verbs")

    # -- named entities ----------------------------------------------------------------------
    def entity(self, token) -> tuple[str, str | None] | None:
        """(class, gazetteer key or None) for an entity token, or None when it is not one."""
        label, text = token.ent_type_, token.text
        if not label:
            if token.pos_ == "PROPN" and text[:1].isupper() and self.gaz.ambiguous(text):
                ambiguous = self.gaz.ambiguous(text)
                if all(e.cls == "Person" for e in ambiguous):
                    return "Person", None  # "Kim" that the NER missed: resolved later, never guessed
            return None
        if label in KG_CLASSES and token.ent_id_:
            entry = self.gaz.get(token.ent_id_)
            if entry.capital_of:
                return ("Place", entry.key) if self.is_location(token) else ("State", entry.capital_of)
            return entry.cls, entry.key
        if label not in NER_CLASSES or not any(c.isupper() for c in text):
            return None
        name = strip_determiner(text)
        words = plain(name).split()
        if len(words) == 1 and words[0] in self.not_names:
            return None  # "État", "Gouvernement": capitalised common nouns
        if not words or words[0] in self.role_nouns or plain(name) in self.item_words:
            return None  # "ministre russe des Affaires étrangères", "Grad": not names
        if any(w in self.item_words for w in words) and label != "ORG":
            return None
        if token.pos_ in ("VERB", "AUX", "ADJ", "ADV", "SCONJ", "CCONJ") and not name.isupper():
            return None  # sentence-initial verbs and adjectives the NER took for names
        if len(words) == 1 and token.is_sent_start and token.pos_ == "NOUN" and not name.isupper():
            return None  # "Renforcement", "Contexte": capitalised only because they start a sentence
        if self.gaz.state_of_demonym(name):
            return None  # "Nord-Coréens": a nationality, read as a demonym
        if label == "LOC" and token.pos_ == "NOUN" and not name[:1].isupper():
            return None
        entries = self.gaz.lookup(name)
        if entries:
            entry = entries[0]
            if entry.capital_of:
                return ("Place", entry.key) if self.is_location(token) else ("State", entry.capital_of)
            return entry.cls, entry.key
        seat = self.gaz.state_of_seat(name)
        if seat:
            return "State", seat
        ambiguous = self.gaz.ambiguous(name)
        if ambiguous:
            if all(e.cls == "Person" for e in ambiguous):
                return "Person", None  # "Kim": resolved against full names later, never guessed
            return None
        cls = NER_CLASSES[label]
        if cls == "Person" and len(words) == 1 and name.isupper():
            return None  # an acronym tagged as a person
        if cls != "Person" and len(words) >= 2 and self.beside_office(token):
            return "Person", None  # "l'ambassadeur nord-coréen, Sin Hong-chol", tagged as a place
        return cls, None

    def beside_office(self, token) -> bool:
        """A name in apposition to an office noun, or with one in apposition to it."""
        if token.dep_ == "appos" and token.head.i != token.i and self.is_role_noun(token.head):
            return True
        return any(c.dep_ == "appos" and self.is_role_noun(c) for c in token.children)

    def is_location(self, token) -> bool:
        """A capital is a place under a preposition of place, or after "à" under a head of movement."""
        anchor = coordination_root(token)
        head = anchor.head
        if plain(head.lemma_) in self.state_heads or plain(head.text) in self.state_heads:
            return False  # "un pacte entre Moscou et Pyongyang": the states
        found = cases(anchor)
        if any(c in self.place_cases for c in found):
            return True
        if any(c in ("à", "en") for c in found) and (head.pos_ == "PROPN" or head.ent_type_ in ("PER", "Person")
                                                    or self.is_role_noun(head)):
            return True  # "a rencontré X à Minsk", where the parse hangs the place on the person
        if any(c in ("à", "en") for c in found):
            return self.located_by(head)
        if "de" in found and head.pos_ not in ("VERB", "AUX"):  # "l'aéroport de Pyongyang"
            return plain(head.lemma_) in self.place_heads or plain(head.text) in self.place_heads
        return False

    def located_by(self, head) -> bool:
        """Is "à X" under this head a location (or a party receiving something)?"""
        for _ in range(3):
            words = {plain(head.lemma_), plain(head.text)}
            if words & self.time_words and head.head.i != head.i:
                head = head.head  # "arrivé mercredi à Pyongyang": look past the day
                continue
            if head.pos_ == "NUM" or words & self.receiving_heads:
                return False  # "livrer des obus à Moscou", "son appui à Moscou"
            if head.pos_ in ("NOUN",) and not self.is_role_noun(head):
                return bool(words & self.place_heads)  # "la visite à Pyongyang", not "son appui à Moscou"
            return True  # verbs of being and moving, people: "X a rencontré Y à Minsk"
        return True

    def demonym(self, token) -> str | None:
        """State key when a token is a nationality word ("américaines", "Nord-Coréens")."""
        if token.ent_type_ in ("Person", "State", "Organization", "Place"):
            return None  # a gazetteer name
        if token.pos_ not in ("ADJ", "NOUN", "PROPN") and token.dep_ != "amod":
            return None
        return self.gaz.state_of_demonym(token.text)

    def is_role_noun(self, token) -> bool:
        """An office noun, alone or heading a phrase the NER merged ("ministre de la Défense")."""
        if token.ent_type_ in ("ORG", "MISC", "LOC"):
            words = plain(token.text).split()
            return words[0] in self.role_nouns or " ".join(words[:2]) in self.role_nouns  # "Premier ministre" 
        return token.pos_ in ("NOUN", "PROPN") and not token.ent_type_ and (
            plain(token.lemma_) in self.role_nouns or plain(token.text) in self.role_nouns
            or two_word_office(token, self.role_nouns) is not None
        )


def two_word_office(token, role_nouns) -> str | None:
    """"le numéro un nord-coréen": an office noun written in two words, as the lexicon lists it."""
    if token.i + 1 >= len(token.doc):
        return None
    words = f"{plain(token.lemma_)} {plain(token.doc[token.i + 1].text)}"
    return words if words in role_nouns else None


def strip_determiner(text: str) -> str:
    """"la Corée du Nord" → "Corée du Nord", "M. Poutine" → "Poutine"."""
    return HONORIFICS.sub("", DETERMINERS.sub("", text.strip()).strip()).strip()


def join_tokens(tokens) -> str:
    text = "".join(t.text + t.whitespace_ for t in sorted(tokens, key=lambda t: t.i))
    return text.strip(" ,;:")
