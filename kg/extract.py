"""Reading one article: entity mentions and event mentions with their evidence.

This is the per-article ("map") half of kg: it needs only the article and its parsed docs, so
articles can be read in any order, in parallel or on other machines. Entities are referred to by
mention index; `kg.resolve` turns mentions into corpus-wide entities and events.
"""
from __future__ import annotations

import dataclasses
import functools
import re
from dataclasses import dataclass, field

from kg.dates import find_dates, starts_with_date_word
from kg.gazetteer import Gazetteer, load_gazetteer
from kg.lexicon import Lexicon, load_lexicon, plain
from kg.mentions import POSSESSIVES, PRONOUNS, Mention, MentionFinder, join_tokens, two_word_office
from kg.model import Article, DateValue, Quantity
from kg.quantities import find_quantities
from kg.syntax import (
    auxiliaries,
    cases,
    clause_tokens,
    conjuncts,
    has_negation,
    is_conditional,
    is_passive,
    verb_chain,
)

# prepositions whose noun phrase states a background fact ("depuis la signature de l'accord")
PRESUPPOSING = {"depuis", "après", "avant", "lors de", "malgré", "dès", "suite à", "à la suite de"}
PAIR_NOUNS = {"homme", "hommes", "dirigeant", "dirigeants", "leader", "leaders", "président", "présidents",
              "chef", "chefs", "ministre", "ministres", "responsable", "responsables"}
AMOUNT_NOUNS = {"millier", "milliers", "million", "millions", "milliard", "milliards", "dizaine", "dizaines",
                "centaine", "centaines", "nombre", "quantité", "quantités", "lot", "lots", "vague", "vagues",
                "groupe", "groupes", "partie", "moitié", "majorité"}
# verbs whose "il" is impersonal: "il faut", "il s'agit", "il semble", "il est possible"
IMPERSONAL_VERBS = {"falloir", "agir", "sembler", "paraître", "être", "avoir", "rester", "manquer", "suffire",
                    "exister", "valoir", "arriver", "pleuvoir", "neiger", "importer", "convenir", "s'agir"}
# "une partie des 11 000 soldats": the soldiers, but not their number
PARTITIVE_NOUNS = {"partie", "moitié", "majorité"}
# "des milliers de soldats": a count noun whose "de" complement names the people counted
GROUP_COUNTS = {"millier", "milliers", "centaine", "centaines", "dizaine", "dizaines"}
# "entre août et octobre", "de mars à mai", "d'avril à juin": a date opening a range, and what joins its ends
RANGE_START = re.compile(r"(?:^|\W)(?:entre|de|d['’])\s*$", re.IGNORECASE)
SINCE = re.compile(r"(?:^|\W)(?:depuis|dès|à partir d['’]|à partir de)\s*$", re.IGNORECASE)
RANGE_END = re.compile(r"\s+(?:et|à|au)\s+", re.IGNORECASE)
# an office named by its likeness to another's: the role is the other person's
COUNTERPART_NOUNS = {"homologue", "homologues"}
ITEM_PRIORITY = ("RocketLaunchers", "Missiles", "Artillery", "Ammunition", "MilitaryEquipment")


@dataclass
class RawEvent:
    """An event as one sentence reports it; roles hold mention indexes of the same article."""

    cls: str
    roles: dict[str, list[int]]
    sent: int
    paragraph: int
    start: int
    end: int
    text: str
    trigger: str
    trigger_start: int
    trigger_end: int
    factuality: str = "Asserted"
    source: int | None = None
    quantity: Quantity | None = None
    date: DateValue | None = None
    item: str | None = None
    category: str | None = None
    name: str | None = None
    inherited: bool = False


@dataclass(frozen=True)
class Denial:
    """"X et Y démentent toute livraison d'armes": a denial that names no side of its own."""

    event: RawEvent  # the denial as its sentence reports it, without roles
    deniers: frozenset[str]  # entity keys of the states that deny
    kinds: frozenset[str] | None  # item categories denied; None: any
    giver: str  # "supplier" | "sender"


@dataclass
class ArticleFacts:
    article: str
    mentions: list[Mention] = field(default_factory=list)
    events: list[RawEvent] = field(default_factory=list)


@functools.lru_cache(maxsize=4)
def trigger_words(lex: Lexicon) -> frozenset[str]:
    """Every word that can start an event: a token outside this set is passed over at once."""
    sections = [("meeting", "verbs"), ("meeting", "travel_verbs"), ("meeting", "nouns"),
                ("agreement", "verbs"), ("agreement", "nouns"), ("transfer", "verbs"),
                ("transfer", "acquire_verbs"), ("transfer", "nouns"), ("transfer", "elaboration_verbs"),
                ("deployment", "verbs"), ("deployment", "presence_verbs"), ("deployment", "stationed_verbs"),
                ("deployment", "nouns")]
    return frozenset().union(*(lex.words(*s) for s in sections))


@functools.lru_cache(maxsize=4)
def present_forms(lex: Lexicon) -> dict[str, str]:
    """Present-tense forms of the lexicon's -er verbs of sending, deploying, meeting and acquiring,
    each to its verb ("approvisionnent" → "approvisionner"; the first verb in sorted order wins)."""
    verbs = lex.words("transfer", "verbs") | lex.words("deployment", "verbs") | lex.words("meeting", "verbs") \
        | lex.words("transfer", "acquire_verbs")
    forms: dict[str, str] = {}
    for verb in sorted(verbs):
        if verb.endswith("er"):
            for form in (verb[:-2] + "e", verb[:-2] + "ent"):
                forms.setdefault(form, verb)
    return forms


LAND_WORDS = ("pays", "territoire", "sol")  # "son pays": the state of the person meant


class TokenColumns:
    """A doc's entity type, part of speech, form and lemma per token, as spaCy's integer codes.

    Every pass of find_mentions and read_trigger first asks each token a cheap question (could
    it be a name, an office, a trigger?): asked of these lists, it spares most tokens their
    string reads and the calls behind them.
    """

    def __init__(self, doc):
        from spacy.attrs import ENT_TYPE, LEMMA, ORTH, POS
        from spacy.symbols import NOUN, PROPN

        array = doc.to_array([ENT_TYPE, POS, ORTH, LEMMA]).reshape((len(doc), 4))
        self.doc = doc
        self.ent_type, self.pos, self.orth, self.lemma = (array[:, k].tolist() for k in range(4))
        self.strings = doc.vocab.strings
        self.propn, self.nouns = PROPN, {NOUN, PROPN}
        # the entity types whose merged phrase may be an office ("ministre de la Défense")
        self.office_labels = {self.strings[label] for label in ("ORG", "MISC", "LOC")}


class WordTests:
    """What the passes ask of a word's form or lemma, answered once per distinct word.

    Keyed by spaCy's hash of the string, which is the same in every vocab.
    """

    def __init__(self, lex: Lexicon):
        self.starts = trigger_words(lex)
        self.forms = present_forms(lex)
        self.texts: dict[int, tuple[bool, bool]] = {}
        self.lemmas: dict[int, tuple[bool, bool]] = {}

    def of_text(self, key: int, strings) -> tuple[bool, bool]:
        """(may start an event, is a subject pronoun) for a form."""
        found = self.texts.get(key)
        if found is None:
            word = plain(strings[key])
            found = self.texts[key] = (word in self.starts or word in self.forms, word in PRONOUNS)
        return found

    def of_lemma(self, key: int, strings) -> tuple[bool, bool]:
        """(may start an event, is a land word) for a lemma."""
        found = self.lemmas.get(key)
        if found is None:
            word = plain(strings[key])
            found = self.lemmas[key] = (word in self.starts, word in LAND_WORDS)
        return found


@functools.lru_cache(maxsize=4)
def word_tests(lex: Lexicon) -> WordTests:
    return WordTests(lex)


class ArticleReader:
    """Reads the sentences of one article in order, keeping the little context French needs."""

    def __init__(self, article: Article, gazetteer: Gazetteer | None = None, lexicon: Lexicon | None = None):
        self.article = article
        self.gaz = gazetteer or load_gazetteer()
        self.lex = lexicon or load_lexicon()
        self.finder = MentionFinder(self.gaz, self.lex)
        self.facts = ArticleFacts(article.id)
        self.sent_no = -1
        self.last_person: int | None = None  # most recent person named as a subject
        self.last_troops: list[int] = []  # states of the troops the last sentence had as subject
        self.last_meeting_people: list[int] = []
        self.sentence_source: tuple[int, int | None, str] | None = None  # (paragraph, source, factuality)
        self.denials: list[Denial] = []  # denials naming no side, applied to the article's events
        lex = self.lex
        self.meeting_verbs = lex.words("meeting", "verbs")
        self.travel_verbs = lex.words("meeting", "travel_verbs")
        self.meeting_nouns = lex.words("meeting", "nouns")
        self.not_meeting_objects = lex.words("meeting", "not_meeting_objects")
        self.group_nouns = lex.words("meeting", "group_nouns")
        self.agreement_verbs = lex.words("agreement", "verbs")
        self.agreement_nouns = lex.words("agreement", "nouns")
        self.weak_agreement_nouns = lex.words("agreement", "weak_nouns")
        self.transfer_verbs = lex.words("transfer", "verbs")
        self.acquire_verbs = lex.words("transfer", "acquire_verbs")
        self.transfer_nouns = lex.words("transfer", "nouns")
        self.recipient_object_verbs = lex.words("transfer", "recipient_object_verbs")
        self.elaboration_verbs = lex.words("transfer", "elaboration_verbs")
        self.deploy_verbs = lex.words("deployment", "verbs")
        self.presence_verbs = lex.words("deployment", "presence_verbs")
        self.stationed = lex.words("deployment", "stationed_verbs")
        self.deploy_nouns = lex.words("deployment", "nouns")
        self.personnel = lex.words("deployment", "personnel")
        self.ally_markers = lex.words("deployment", "ally_markers")
        self.items = lex.table("items")
        self.needs_military = lex.words("items", "needs_military_modifier")
        self.military_modifiers = lex.words("items", "military_modifiers")
        self.containers = lex.words("items", "containers")
        self.reporting_nouns = lex.words("factuality", "reporting_nouns")
        self.allegation_verbs = lex.words("factuality", "allegation_verbs")
        self.source_markers = lex.words("factuality", "source_markers")
        self.modal_verbs = lex.words("factuality", "modal_verbs")
        self.possible_words = lex.words("factuality", "possible_words")
        self.denial_verbs = lex.words("factuality", "denial_verbs")
        self.denial_nouns = lex.words("factuality", "denial_nouns")
        self.negations = lex.words("factuality", "negations")
        self.blocking_verbs = lex.words("factuality", "blocking_verbs")
        self.blocking_nouns = lex.words("factuality", "blocking_nouns")
        self.question_verbs = lex.words("factuality", "question_verbs")
        self.any_role = lex.words("people", "any_role")
        self.office_ranks = lex.words("people", "office_ranks")
        self.object_control = lex.words("factuality", "object_control_verbs")
        self.trigger_words = trigger_words(lex)
        self.verb_forms = present_forms(lex)
        self.words = word_tests(lex)
        self.columns: TokenColumns | None = None  # of the doc being read
        self.light_verbs = lex.words("meeting", "light_verbs")
        self.hosting_verbs = lex.words("meeting", "hosting_verbs")
        self.dating_verbs = lex.words("dates", "event_verbs") | self.hosting_verbs | self.light_verbs \
            | self.agreement_verbs
        self.scheduling_verbs = lex.words("dates", "scheduling_verbs")

    # -- driver ----------------------------------------------------------------------------
    def read(self, docs) -> ArticleFacts:
        """`docs`: (segment, Doc) pairs of the article's body segments, in text order.

        Each doc is the parse of its segment's text, which the sentences' texts are cut from:
        Doc.text and Span.text join their tokens anew at every call.
        """
        for paragraph, (segment, doc) in enumerate(docs):
            doc_text = self.article.text[segment.start:segment.end]
            if len(doc) and doc[-1].idx + len(doc[-1].text_with_ws) != len(doc_text):
                doc_text = doc.text  # not the segment's parse after all: its own text
            for sent in doc.sents:
                text = doc_text[sent.start_char:sent.end_char]
                if not text.strip():
                    continue
                self.sent_no += 1
                self.read_sentence(sent, segment.start, paragraph, text)
        self.deny_later()
        return self.facts

    def read_sentence(self, sent, offset: int, paragraph: int, text: str | None = None) -> None:
        self.offset, self.paragraph, self.sent = offset, paragraph, sent
        # a Span builds its text and a Token per word anew at each use: the rules read them many times
        self.sent_text = sent.text if text is None else text
        self.tokens = list(sent)
        self.refs: dict[int, int] = {}  # token index -> mention index
        self.clauses: dict[int, list] = {}  # head index -> clause_tokens(head)
        self.token_cases: dict[int, list[str]] = {}  # token index -> cases(token)
        self.forced_subjects: dict[int, list[int]] = {}  # a verb the parse took for a noun -> its subject
        self.dates: dict[bool, list] | None = None  # find_dates of the sentence, once asked (per `ahead`)
        self.quantities: list | None = None  # find_quantities of the sentence, once asked
        self.find_mentions(sent)
        before = len(self.facts.events)
        columns, words = self.columns_of(sent.doc), self.words
        for i, token in enumerate(self.tokens, sent.start):
            # read_trigger's own first test, asked of the columns: most words start no event
            if i not in self.refs and (words.of_text(columns.orth[i], columns.strings)[0]
                                       or words.of_lemma(columns.lemma[i], columns.strings)[0]):
                self.read_trigger(token)
        new = self.facts.events[before:]
        self.fill_from_context(new)
        self.remember_subject(sent)
        self.remember_troops()

    # -- mentions --------------------------------------------------------------------------
    def add_mention(self, token_or_span, kind: str, cls: str, key: str | None = None, **extra) -> int:
        start = self.offset + token_or_span.idx if hasattr(token_or_span, "idx") else 0
        text = token_or_span.text
        mention = Mention(
            idx=len(self.facts.mentions), kind=kind, cls=cls, surface=text,
            start=start, end=start + len(text), sent=self.sent_no, key=key, **extra,
        )
        self.facts.mentions.append(mention)
        return mention.idx

    def find_mentions(self, sent) -> None:
        """Names, then nationalities, then the offices of the people named, then descriptions,
        subject pronouns and "son pays"; each pass asks the token columns first which tokens
        can be one at all (the answers are those of MentionFinder's own first tests)."""
        tokens = self.tokens if sent is self.sent else list(sent)
        columns, words, refs = self.columns_of(sent.doc), self.words, self.refs
        ent_type, pos, first = columns.ent_type, columns.pos, sent.start
        for i, token in enumerate(tokens, first):
            if ent_type[i] or pos[i] == columns.propn:  # MentionFinder.entity answers None to the others
                found = self.finder.entity(token)
                if found:
                    cls, key = found
                    refs[i] = self.add_mention(token, "name", cls, key)
        for i, token in enumerate(tokens, first):
            if i in refs or pos[i] not in columns.nouns:
                continue
            state = self.finder.demonym(token)
            if state:
                refs[i] = self.add_mention(token, "demonym", "State", state)
        for i, token in enumerate(tokens, first):
            idx = refs.get(i)
            if idx is not None and self.facts.mentions[idx].cls == "Person":
                self.read_office(token, idx)
        for i, token in enumerate(tokens, first):
            if i in refs:
                continue
            if (ent_type[i] in columns.office_labels or pos[i] in columns.nouns) and self.finder.is_role_noun(token):
                self.read_description(token)
            elif words.of_text(columns.orth[i], columns.strings)[1] and self.is_subject_pronoun(token):
                antecedent = self.subject_before(token)
                if antecedent is not None:
                    refs[i] = antecedent
            elif words.of_lemma(columns.lemma[i], columns.strings)[1] and self.possessor(token) is not None:
                owner = self.possessor(token)
                refs[i] = self.add_mention(token, "country_of", "State", ref=owner)

    @staticmethod
    def is_subject_pronoun(token) -> bool:
        """"il" as a subject; "Il doit s'entretenir avec X" comes parsed as an impersonal "il"."""
        return token.dep_.startswith("nsubj") or (
            token.dep_ == "expl:subj" and plain(token.head.lemma_) not in IMPERSONAL_VERBS
            and not any(c.dep_ == "expl:comp" and plain(c.text) == "y" for c in token.head.children))

    def columns_of(self, doc) -> TokenColumns:
        if self.columns is None or self.columns.doc is not doc:
            self.columns = TokenColumns(doc)
        return self.columns

    def read_office(self, name, idx: int) -> None:
        """"le ministre russe des Affaires étrangères, Sergueï Lavrov" / "Choïgou, secrétaire du Conseil"."""
        doc = name.doc
        start = name.i - 1
        while start >= self.sent.start and doc[start].text in (",", "«", "»"):
            start -= 1
        office = self.office_left(doc, start)
        if office is None:
            right = name.i + 1
            if right < self.sent.end and doc[right].text == ",":
                right += 1
                while right < self.sent.end and doc[right].pos_ == "DET":
                    right += 1
                if right < self.sent.end and self.finder.is_role_noun(doc[right]):
                    office = doc[right]
        if office is None and start - 1 >= self.sent.start and plain(doc[start].text) == "et" \
                and start - 1 in self.refs and self.mention(self.refs[start - 1]).cls == "Person":
            # "les ministres X et Y": the plural office before the first name is also Y's
            shared = self.office_left(doc, start - 2)
            if shared is not None and "Plur" in shared.morph.get("Number"):
                office = shared
        if office is None:
            return
        role, state = self.office_phrase(office)
        if role and " " not in office.text and "Plur" in office.morph.get("Number") and office.lemma_ != office.text:
            # "les ministres X et Y": each holds the office in the singular
            role = " ".join(office.lemma_ if word == office.text else word for word in role.split(" "))
        mention = self.facts.mentions[idx]
        if plain(office.lemma_) in COUNTERPART_NOUNS or plain(office.text) in COUNTERPART_NOUNS:
            role = self.counterpart_role(office)  # "son homologue russe X": the office of "son"
        if role and mention.role is None:
            mention.role = role
        if state and mention.affiliation is None:
            mention.affiliation = state
        self.refs.setdefault(office.i, idx)

    def counterpart_role(self, noun) -> str | None:
        """"No Kwang-chol a rencontré son homologue russe X": X holds No Kwang-chol's office."""
        owner = self.possessor(noun)
        if owner is None:
            return None
        return self.mention(owner).role

    def office_left(self, doc, end: int):
        """The office noun of a phrase ending at `end`, right before a name, if there is one."""
        for i in range(end, max(self.sent.start, end - 9) - 1, -1):
            token = doc[i]
            if self.finder.is_role_noun(token):
                # "un conseiller du président sud-coréen, X": the office is the phrase's head
                while token.dep_ == "nmod" and self.sent.start <= token.head.i < token.i \
                        and self.finder.is_role_noun(token.head):
                    token = token.head
                return token
            if token.pos_ in ("VERB", "AUX", "PRON", "CCONJ", "SCONJ", "NUM") or token.is_punct:
                return None
            if token.pos_ == "ADP" and plain(token.text) not in ("de", "d'", "du", "des", "en", "auprès"):
                return None  # "l'ambassadeur nord-coréen en Russie, X" keeps going
            if token.i in self.refs and self.facts.mentions[self.refs[token.i]].cls not in ("Organization", "State"):
                return None  # "l'ambassadeur de Russie, X" keeps going; another person stops
        return None

    def office_phrase(self, noun) -> tuple[str, str | None]:
        """("ministre des Affaires étrangères", state) for an office noun and its right modifiers."""
        doc, state, words, prefix = noun.doc, None, [], ""
        if " " in noun.text:  # a phrase the NER merged: "ministre nord-coréenne des Affaires étrangères"
            kept = []
            for word in noun.text.split():
                nationality = self.gaz.state_of_demonym(word)
                if nationality:
                    state = state or nationality
                else:
                    kept.append(word)
            prefix = " ".join(kept)
        else:
            # "le vice-Premier ministre": a rank written before the office is part of it
            words = [c for c in noun.children if c.i < noun.i and c.dep_ == "amod"
                     and plain(c.text) in self.office_ranks] + [noun]
        i = noun.i + 1
        while i < self.sent.end:
            token = doc[i]
            if token.is_punct or token.pos_ in ("VERB", "AUX", "PRON", "SCONJ", "CCONJ", "NUM"):
                break
            if token.pos_ == "ADP" and plain(token.text) not in ("de", "d'", "du", "des"):
                break
            if token.i in self.refs and self.facts.mentions[self.refs[token.i]].cls == "Person":
                break
            nationality = self.gaz.state_of_demonym(token.text) if token.pos_ == "ADJ" else None
            if nationality:
                state = state or nationality
            elif token.i in self.refs and self.facts.mentions[self.refs[token.i]].cls == "State":
                state = state or self.facts.mentions[self.refs[token.i]].key
                words.append(token)
            else:
                words.append(token)
            i += 1
        while words and words[-1].pos_ in ("ADP", "DET"):
            words.pop()
        for child in noun.children:  # a nationality before the office: "la ministre nord-coréenne"
            if child.i < noun.i and child.pos_ == "ADJ":
                state = state or self.gaz.state_of_demonym(child.text)
        role = " ".join(p for p in (prefix, join_tokens(words)) if p).strip(" ,")
        kept = []
        for word in role.split(" "):  # inside a name the NER merged: "du Conseil de sécurité nationale américain"
            nationality = self.gaz.state_of_demonym(word) if kept else None
            if nationality:
                state = state or nationality
            else:
                kept.append(word)
        return " ".join(kept), state

    def read_description(self, noun) -> None:
        """"le dirigeant nord-coréen", "son homologue russe": a person to find in the article later."""
        role, state = self.office_phrase(noun)
        if state is None:
            return
        lemma = two_word_office(noun, self.finder.role_nouns) or plain(noun.lemma_)
        self.refs[noun.i] = self.add_mention(
            noun, "description", "Person", description=lemma, affiliation=state, role=role
        )

    def subject_before(self, pronoun) -> int | None:
        """"X s'est rendu à Séoul, où il a rencontré Y": the person subject earlier in the sentence."""
        for i in range(pronoun.i - 1, self.sent.start - 1, -1):
            idx = self.refs.get(i)
            token = pronoun.doc[i]
            if idx is not None and token.dep_.startswith("nsubj") and self.mention(idx).cls == "Person":
                return idx
        return self.last_person

    def possessor(self, noun) -> int | None:
        """Who "son/sa/leur" refers to: the subject of the clause, else the last person named."""
        if not any(plain(c.text) in POSSESSIVES for c in noun.children if c.dep_ in ("det", "nmod:poss")):
            return None
        for ancestor in verb_chain(noun)[1:]:
            for child in ancestor.children:
                if child.dep_ == "nsubj" and child.i in self.refs:
                    return self.refs[child.i]
        return self.last_person

    def remember_subject(self, sent) -> None:
        tokens = self.tokens if sent is self.sent else list(sent)
        for token in tokens:
            idx = self.refs.get(token.i)
            if idx is not None and token.dep_.startswith("nsubj"):
                if self.facts.mentions[idx].cls == "Person":
                    self.last_person = idx
                    return
        for token in tokens:
            idx = self.refs.get(token.i)
            if idx is not None and self.facts.mentions[idx].cls == "Person" and self.facts.mentions[idx].kind == "name":
                self.last_person = idx

    def remember_troops(self) -> None:
        """"Des soldats nord-coréens ont quitté le pays. Ils ont été déployés...": the states of
        the troops a sentence has as subject, for a plural pronoun in the next one."""
        subjects = [t for t in self.tokens if t.dep_.startswith("nsubj")]
        subjects += [c for t in subjects if plain(t.lemma_) in PARTITIVE_NOUNS | GROUP_COUNTS
                     for c in t.children if c.dep_ == "nmod"]
        self.last_troops = [i for t in subjects if self.is_personnel(t)
                            for i in self.refs_in([t]) if self.mention(i).cls == "State"]

    def troops_pronoun(self, verb) -> list:
        """The subject "ils"/"elles" of a verb when the sentence before had troops as subject."""
        return [c for c in verb.children if c.dep_.startswith("nsubj") and c.pos_ == "PRON"
                and plain(c.text) in ("ils", "elles")] if self.last_troops else []

    # -- references ------------------------------------------------------------------------
    def ref(self, token) -> list[int]:
        """Mentions a token stands for: itself, its conjuncts, or the nationality of a group noun."""
        out = []
        for t in conjuncts(token) + self.listed_after(token):
            named = self.named_in_apposition(t)
            if named:
                out.extend(named)
            elif t.i in self.refs:
                out.append(self.refs[t.i])
            elif self.pair_of(t):
                out.extend(self.pair_of(t))
            elif t.pos_ == "PRON" and t.dep_ in ("obj", "iobj") and plain(t.text) in ("l'", "le", "la", "lui"):
                other = self.object_antecedent(t)
                if other is not None:
                    out.append(other)
            elif plain(t.lemma_) in self.personnel or plain(t.lemma_) in ("armée", "force", "forces", "effort", "pays"):
                out.extend(self.demonym_of(t))
        return out

    def pair_of(self, token) -> list[int]:
        """"les deux hommes", "les deux dirigeants": the two people of the article's last meeting."""
        if plain(token.lemma_) not in PAIR_NOUNS or not any(plain(c.text) == "deux" for c in token.children):
            return []
        return list(self.last_meeting_people) if len(self.last_meeting_people) == 2 else []

    def object_antecedent(self, pronoun) -> int | None:
        """"Kim l'a accueilli": the last person named before, other than the verb's subject."""
        verb = pronoun.head
        subjects = {self.refs.get(c.i) for c in verb.children if c.dep_.startswith("nsubj")}
        for mention in reversed(self.facts.mentions):
            if mention.cls == "Person" and mention.kind == "name" and mention.idx not in subjects \
                    and mention.start < self.offset + pronoun.idx:
                return mention.idx
        return None

    def named_in_apposition(self, noun) -> list[int]:
        """"signé par les ministres X et Y": an office noun stands for the people named after it."""
        if noun.pos_ != "NOUN" or not self.finder.is_role_noun(noun):
            return []
        out = []
        for child in noun.children:
            if child.dep_ == "appos" and child.i in self.refs and self.mention(self.refs[child.i]).cls == "Person":
                out.extend(k for k in self.ref(child) if k not in out)
        return out

    def listed_after(self, token) -> list:
        """Names coordinated on the surface ("par X et Y") where the parse lost the coordination."""
        out, doc, i = [], token.doc, token.i
        if i not in self.refs or token.dep_ == "conj":
            return out
        cls = self.mention(self.refs[i]).cls
        while i + 2 < self.sent.end and doc[i + 1].text in ("et", ",") and (i + 2) in self.refs \
                and self.mention(self.refs[i + 2]).cls == cls \
                and not (doc[i + 2].dep_ == "conj" and doc[i + 2].head.i == doc[i].i):
            out.append(doc[i + 2])
            i += 2
        i = token.i
        while i - 2 >= self.sent.start and doc[i - 1].text == "et" and (i - 2) in self.refs \
                and self.mention(self.refs[i - 2]).cls == cls and token.dep_.startswith("nsubj") \
                and doc[i - 2].dep_ not in ("conj", "nsubj", "obj"):
            out.append(doc[i - 2])  # "Kim et Lavrov ont …" parsed with Kim as the root
            i -= 2
        return out

    def demonym_of(self, noun) -> list[int]:
        out = []
        for child in noun.children:
            if child.dep_ == "amod":
                state = self.gaz.state_of_demonym(child.text)
                if state:
                    out.append(self.add_mention(child, "demonym", "State", state))
        return out

    def mention(self, idx: int) -> Mention:
        return self.facts.mentions[idx]

    def of_class(self, idxs, *classes) -> list[int]:
        return [i for i in idxs if self.mention(i).cls in classes]

    # -- triggers --------------------------------------------------------------------------
    def read_trigger(self, token) -> None:
        if token.i in self.refs:
            return
        lemma, text = plain(token.lemma_), plain(token.text)
        if lemma not in self.trigger_words and text not in self.trigger_words and text not in self.verb_forms:
            return  # most words: neither they nor a verb their form may belong to start an event
        pos = token.pos_
        verbal = pos in ("VERB", "AUX") or (pos in ("ADJ", "NOUN") and "Part" in token.morph.get("VerbForm"))
        if pos == "NOUN" and any(c.dep_ == "nsubj" for c in token.children):
            verbal, lemma = True, self.verb_lemma(text) or lemma  # "Téhéran approvisionne Moscou"
        elif pos == "VERB" and lemma == text:
            lemma = self.verb_lemma(text) or lemma  # a verb left unlemmatised: "X rencontre Y mercredi"
        elif pos == "NOUN" and text in self.verb_forms and not any(c.dep_ == "det" and c.pos_ == "DET"
                                                                   for c in token.children):
            subject = self.name_before(token)
            if subject is not None:  # "Pyongyang livre des obus à Moscou" parsed as a noun "livre"
                verbal, lemma = True, self.verb_forms[text]
                self.forced_subjects[token.i] = [subject]
                # its complements may hang anywhere: its clause is the rest of the sentence
                self.clauses[token.i] = sorted({t.i: t for t in self.clause(token) + self.words_after(token)}.values(),
                                               key=lambda t: t.i)
        nominal = pos in ("NOUN", "PROPN") and not token.ent_type_
        if not ({lemma, text} & self.trigger_words):
            return
        if self.blocked(token):
            return
        if verbal:
            if lemma in self.transfer_verbs or lemma in self.deploy_verbs or lemma in self.acquire_verbs:
                self.read_sending_verb(token, lemma)
            if lemma in self.meeting_verbs:
                self.read_meeting_verb(token, lemma)
            elif lemma in self.travel_verbs:
                self.read_travel_verb(token)
            if lemma in self.presence_verbs or text in self.presence_verbs:
                self.read_presence(token)
            if lemma in self.elaboration_verbs:
                self.read_elaboration(token)
            if lemma == "lier":
                self.read_bond(token)
        elif pos == "ADJ" and text in self.presence_verbs:
            self.read_presence(token)
        if nominal:
            if lemma in self.meeting_nouns or text in self.meeting_nouns:
                self.read_meeting_noun(token)
            if (lemma in self.agreement_nouns or text in self.agreement_nouns):
                self.read_agreement_noun(token)
            if lemma in self.transfer_nouns or text in self.transfer_nouns:
                self.read_sending_noun(token)
            elif lemma in self.deploy_nouns or text in self.deploy_nouns:
                self.read_sending_noun(token)

    def words_after(self, token) -> list:
        """The words after a token up to the next punctuation mark, verb or conjunction."""
        out = []
        for i in range(token.i + 1, self.sent.end):
            word = token.doc[i]
            if word.is_punct or word.pos_ in ("VERB", "AUX", "SCONJ", "CCONJ"):
                break
            out.append(word)
        return out

    def name_before(self, token) -> int | None:
        """The state, person or organisation named right before a word, when the parse links them."""
        before = token.i - 1
        if before < self.sent.start or before not in self.refs:
            return None
        idx = self.refs[before]
        if self.mention(idx).cls not in ("State", "Person", "Organization"):
            return None
        linked = token.head.i == before or token.doc[before].head.i == token.i
        return idx if linked else None

    def verb_lemma(self, form: str) -> str | None:
        """The lexicon verb a mis-tagged present-tense form belongs to ("approvisionne" → approvisionner)."""
        return self.verb_forms.get(form)

    def blocked(self, token) -> bool:
        """Fears and warnings ("Washington craint que ... ne conduise à un transfert") report no event."""
        for ancestor in verb_chain(token)[1:]:
            lemma = plain(ancestor.lemma_)
            if lemma in self.blocking_verbs or lemma in self.blocking_nouns:
                return True
        return False

    # -- arguments -------------------------------------------------------------------------
    def subjects(self, verb) -> list[int]:
        """The agent of a verb: its subject, a passive's "par" agent, or a controlling verb's subject."""
        if verb.i in self.forced_subjects:
            return list(self.forced_subjects[verb.i])
        if is_passive(verb):
            agents = [c for c in verb.children if c.dep_ == "obl:agent" or "par" in self.cases(c)]
            found = [i for a in agents for i in self.ref(a)]
            if found:
                return found
            if verb.dep_ == "conj":
                return self.subjects(verb.head) if not is_passive(verb.head) else self.agent_only(verb.head)
            return []
        # "Lavrov est arrivé" comes parsed as a passive subject of an active verb
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubj:pass")
                    or (c.dep_ == "expl:subj" and c.i in self.refs)]
        if subjects:
            found = []
            for child in subjects:
                if plain(child.text) in ("qui", "que", "lequel", "laquelle") and verb.dep_ == "acl:relcl":
                    found += self.ref(verb.head)
                else:
                    found += [i for i in self.ref(child) if i not in found]
            return found
        head = verb.head
        if head.i == verb.i:
            return []
        if verb.dep_ in ("xcomp", "conj", "advcl", "ccomp", "acl"):
            if verb.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN"):
                # "la possibilité d'envoyer": the subject of the verb governing the noun
                if head.i in self.refs:
                    return []
                return self.subjects(head.head) if head.head.i != head.i else []
            passive_subject = [c for c in head.children if c.dep_ == "nsubj:pass"]
            if passive_subject and (verb.dep_ in ("xcomp", "conj") or (
                    verb.dep_ == "advcl" and "Inf" in verb.morph.get("VerbForm"))):
                # "X est accusée de fournir", "X a été reçue par Y avant de s'entretenir avec Z",
                # "X a été reçue par Y puis a rencontré Z": the grammatical subject, never the agent
                return [i for c in passive_subject for i in self.ref(c)]
            controller = [c for c in head.children if c.dep_ == "obj" and c.i < verb.i]
            if verb.dep_ == "xcomp" and plain(head.lemma_) in self.object_control:
                if controller and self.ref(controller[0]):
                    return self.ref(controller[0])  # "Washington accuse Pyongyang d'avoir livré"
                between = [self.refs[i] for i in range(head.i + 1, verb.i) if i in self.refs
                           and self.mention(self.refs[i]).cls in ("State", "Person", "Organization")]
                if between:
                    return between[:1]
            return self.subjects(head)
        if verb.dep_ == "acl:relcl":
            return self.ref(head)
        return []

    def agent_only(self, verb) -> list[int]:
        agents = [c for c in verb.children if c.dep_ == "obl:agent" or "par" in self.cases(c)]
        return [i for a in agents for i in self.ref(a)]

    def patients(self, verb) -> list:
        """Object tokens: the direct object, or the passive subject, or the noun a participle qualifies."""
        out = [c for c in verb.children if c.dep_ == "obj"]
        if is_passive(verb):
            out += [c for c in verb.children if c.dep_ == "nsubj:pass"]
            if verb.dep_ == "acl":
                out.append(verb.head)
        return [self.unwrap_amount(t) for t in out]

    def unwrap_amount(self, token):
        """"des milliers de soldats": the soldiers, not the thousands."""
        if plain(token.lemma_) in AMOUNT_NOUNS or plain(token.text) in AMOUNT_NOUNS:
            for child in token.children:
                if child.dep_ == "nmod" and "de" in self.cases(child):
                    return child
        return token

    def complements(self, head, *wanted: str) -> list:
        """Dependents (and their conjuncts) introduced by one of the `wanted` prepositions."""
        out = []
        wanted_cases = set(wanted)
        for token in self.clause(head):
            if token.i == head.i or token.i in (c.i for c in out):
                continue
            if not wanted_cases.isdisjoint(self.cases(token)) and (token.i in self.refs
                                                                    or token.pos_ in ("NOUN", "PROPN")):
                out.extend(conjuncts(token))
        return out

    # The parse does not change while a sentence is read: the questions asked of it again and
    # again (a head's clause, a word's prepositions) are answered once per sentence.
    def clause(self, head) -> list:
        """clause_tokens(head), kept for the sentence (callers do not change it)."""
        found = self.clauses.get(head.i)
        if found is None:
            found = self.clauses[head.i] = clause_tokens(head)
        return found

    def cases(self, token) -> list[str]:
        """cases(token), kept for the sentence (callers do not change it)."""
        found = self.token_cases.get(token.i)
        if found is None:
            found = self.token_cases[token.i] = cases(token)
        return found

    def sentence_dates(self, ahead: bool = False) -> list:
        """find_dates of the sentence, kept for it (its DateValues are frozen: events may share one).
        `ahead`: read as said of what is to come ("doivent se voir mercredi": the next Wednesday)."""
        if self.dates is None:
            self.dates = {}
        found = self.dates.get(ahead)
        if found is None:
            found = self.dates[ahead] = find_dates(self.sent_text, self.article.date, ahead=ahead)
        return found

    def sentence_quantities(self) -> list:
        """find_quantities of the sentence, kept for it (its Quantities are frozen)."""
        if self.quantities is None:
            self.quantities = find_quantities(self.sent_text)
        return self.quantities

    def states_in(self, tokens) -> list[int]:
        """States among the tokens' mentions, a capital named as a place counting for its state."""
        out = []
        for idx in self.refs_in(tokens):
            mention = self.mention(idx)
            if mention.cls == "Place" and mention.key and self.gaz.state_of_capital(mention.key):
                idx = self.add_synthetic_state(self.gaz.state_of_capital(mention.key), idx)
            if self.mention(idx).cls == "State":
                out.append(idx)
        return out

    def of_phrase(self, noun) -> list:
        """Names inside a noun's "de" complements: "l'aéroport de Pyongyang", "la région de Koursk"."""
        out = []
        for child in noun.children:
            if child.dep_ in ("nmod", "flat:name") and "de" in self.cases(child):
                out.append(child)
                out.extend(self.of_phrase(child))
        return out

    def refs_in(self, tokens) -> list[int]:
        out = []
        for token in tokens:
            for idx in self.ref(token):
                if idx not in out:
                    out.append(idx)
        return out

    # -- meetings --------------------------------------------------------------------------
    def read_meeting_verb(self, verb, lemma: str) -> None:
        objects = self.patients(verb)
        if lemma in ("recevoir", "accueillir", "saluer", "retrouver", "rejoindre"):
            if any(plain(o.lemma_) in self.not_meeting_objects or plain(o.text) in self.not_meeting_objects
                   for o in objects if o.i not in self.refs):
                return
        people = self.subjects(verb) + self.refs_in(objects)
        people += self.refs_in(self.complements(verb, "avec", "entre"))
        people += self.group_leaders(objects)
        if is_passive(verb) and verb.dep_ == "advcl" and not any(c.dep_ == "nsubj:pass" for c in verb.children):
            people += self.subjects(verb.head)  # "Reçu par X, Y a plaidé…": Y was received
        if not self.of_class(self.refs_in(objects), "Person") and not is_passive(verb):
            people += self.person_after(verb)
        participants = self.of_class(dict.fromkeys(people), "Person", "State", "Organization")
        agents = set(self.subjects(verb))
        if len(participants) < 2 or (len(agents) < 2 and not [i for i in participants if i not in agents]):
            return  # "X a rencontré des difficultés à Moscou": nobody met
        self.add_meeting(verb, participants)

    def person_after(self, verb) -> list[int]:
        """The person named right after a verb of meeting, where the parse lost the object."""
        doc = verb.doc
        for i in range(verb.i + 1, min(self.sent.end, verb.i + 12)):
            token = doc[i]
            if i in self.refs and self.mention(self.refs[i]).cls == "Person":
                return [self.refs[i]]
            if token.is_punct or token.pos_ in ("SCONJ", "CCONJ", "ADP", "VERB"):
                return []
        return []

    def group_leaders(self, tokens) -> list[int]:
        """"une délégation ukrainienne dirigée par le ministre X": X takes part."""
        out = []
        for token in tokens:
            if plain(token.lemma_) not in self.lex.words("meeting", "group_nouns"):
                continue
            out += self.demonym_of(token)
            for child in token.children:
                if child.dep_ == "acl" and plain(child.lemma_) in self.lex.words("meeting", "group_leader_verbs"):
                    out += self.agent_only(child)
        return out

    def read_travel_verb(self, verb) -> None:
        """"Bélousov est arrivé en Corée du Nord pour une visite": a visit to a host state."""
        hosts = self.refs_in(self.complements(verb, "à", "en", "dans", "pour"))
        if not any(self.mention(i).cls in ("State", "Place") for i in hosts):
            return
        visit_words = [c for c in verb.subtree if plain(c.lemma_) in self.meeting_nouns]
        if not visit_words and plain(verb.lemma_) not in ("rendre", "séjourner", "voyager"):
            return
        self.add_meeting(verb, self.subjects(verb) + hosts)

    def read_meeting_noun(self, noun) -> None:
        """"la visite de Poutine à Pyongyang", "leur rencontre à Wonsan", "la rencontre entre X et Y"."""
        people = self.refs_in(self.complements(noun, "de", "entre", "avec", "à"))
        people += [i for i in self.refs_in([c for c in noun.children if c.dep_ in ("nmod", "appos")]) if i not in people]
        owner = [c for c in noun.children if plain(c.text) in POSSESSIVES]
        governing = noun.head if noun.dep_ not in ("ROOT",) else None
        if owner:
            if plain(owner[0].text) in ("leur", "leurs"):
                if governing is not None and governing.pos_ in ("VERB", "AUX"):
                    people += self.subjects(governing)
                if not self.of_class(people, "Person"):
                    people += self.last_meeting_people
            else:
                idx = self.possessor(noun)
                if idx is not None:
                    people.append(idx)
        if governing is not None and noun.dep_ in ("obl:arg", "obl:mod", "obl", "nmod") and set(self.cases(noun)) & {
            "lors de", "de", "pendant", "au cours de", "durant", "à l'occasion de"
        }:
            # "X et Y ont signé un accord lors de la visite de X": the signers met
            anchor = governing
            if plain(anchor.text) in ("lors",) and anchor.head.i != anchor.i:
                anchor = anchor.head
            if anchor.pos_ in ("VERB", "AUX"):
                people += [i for i in self.subjects(anchor) if self.mention(i).cls == "Person"]
        if noun.dep_ == "obj" and plain(noun.head.lemma_) in self.light_verbs:
            people += self.subjects(noun.head)  # "X a effectué une visite à Hanoï"
        people += self.linear_partners(noun)
        participants = self.of_class(dict.fromkeys(people), "Person", "State", "Organization")
        self.add_meeting(noun, participants)

    def linear_partners(self, noun) -> list[int]:
        """"la visite de X, le dirigeant, à Y": people named after the noun, before the next verb."""
        out, doc = [], noun.doc
        for i in range(noun.i + 1, self.sent.end):
            token = doc[i]
            if token.pos_ in ("VERB", "AUX") or (token.pos_ == "SCONJ"):
                break
            # "la rencontre entre X et Y" whose "entre" the parse read as the verb "entrer"
            opening = plain(doc[i - 1].text) == "entre" and i - 1 == noun.i + 1
            if i in self.refs and self.mention(self.refs[i]).cls == "Person" and i > 0 and (
                    plain(doc[i - 1].text) in ("à", "avec", "et") or opening):
                out.append(self.refs[i])
        return out

    def add_meeting(self, trigger, participants: list[int]) -> None:
        places = self.places_near(trigger)
        participants = list(dict.fromkeys(participants))
        for place in places:  # a visit to a place in a state is hosted by that state
            state = self.gaz.state_of_place(self.mention(place).key) if self.mention(place).key else None
            if state and not any(self.mention(p).key == state for p in participants) and len(
                self.of_class(participants, "Person")
            ) == 1:
                participants.append(self.add_synthetic_state(state, place))
        persons = self.of_class(participants, "Person")
        if not persons or len(participants) < 2:
            return
        self.last_meeting_people = persons
        self.add_event("Meeting", trigger, {"participant": participants, "place": places})

    def add_synthetic_state(self, state: str, near: int) -> int:
        m = self.mention(near)
        mention = Mention(idx=len(self.facts.mentions), kind="demonym", cls="State", surface="",
                          start=m.start, end=m.end, sent=self.sent_no, key=state)
        self.facts.mentions.append(mention)
        return mention.idx

    def places_near(self, trigger) -> list[int]:
        """Places named in the trigger's "à/dans/en" complements, also inside them ("à l'aéroport de X")."""
        heads = [trigger]
        if trigger.pos_ in ("NOUN", "PROPN") and trigger.dep_.startswith("nsubj") and trigger.head.pos_ == "VERB" \
                and plain(trigger.head.lemma_) in self.hosting_verbs:
            heads.append(trigger.head)  # "un sommet s'est tenu au cosmodrome de Vostotchny"
        doc = trigger.doc
        if trigger.pos_ == "NOUN" and trigger.i + 1 < self.sent.end and plain(doc[trigger.i + 1].text) == "entre":
            # "la rencontre entre X et Y à Pékin": the place hangs on the last name
            named = []
            for t in doc[trigger.i + 2:self.sent.end]:
                if t.is_punct or t.pos_ in ("VERB", "AUX", "SCONJ"):
                    break
                if t.i in self.refs and self.mention(self.refs[t.i]).cls == "Person":
                    named.append(t)
            heads += named[-1:]
        tokens = []
        for head in heads:
            tokens += self.complements(head, "à", "dans", "en", "près de", "au")
            if head.dep_ in ("obl:arg", "obl:mod", "obl", "nmod") or head.pos_ in ("VERB",):
                tokens += [c for c in head.children if c.dep_ in ("nmod", "obl:mod", "obl:arg")]
        found = []
        for token in tokens:
            for t in [token] + self.of_phrase(token):
                for idx in self.ref(t):
                    if self.mention(idx).cls == "Place" and idx not in found:
                        found.append(idx)
        return found

    # -- agreements ------------------------------------------------------------------------
    def read_agreement_noun(self, noun) -> None:
        lemma = plain(noun.lemma_)
        governing = noun.head if noun.head.i != noun.i else None
        if governing is not None and noun.dep_ == "appos" and governing.i in self.refs \
                and governing.head.i != governing.i and plain(governing.head.lemma_) in self.agreement_verbs \
                and "avec" in self.cases(governing):
            governing = governing.head  # "X a signé avec Y un accord", the accord parsed as Y's apposition
        signing = governing is not None and plain(governing.lemma_) in self.agreement_verbs
        if not signing and governing is not None and noun.dep_ == "nmod" and plain(governing.lemma_) == "signature":
            signing = True
        if lemma in self.weak_agreement_nouns and not signing:
            return
        parties = self.refs_in(self.complements(noun, "entre", "avec"))
        signers: list[int] = []
        if signing and governing.pos_ in ("VERB", "AUX"):
            if is_passive(governing):
                signers = self.agent_only(governing)
            else:
                signers = self.subjects(governing)
        for child in self.modifiers(noun):  # "l'accord signé par Poutine et Kim", "le traité d'assistance conclu entre"
            if child.dep_ == "acl" and plain(child.lemma_) in self.agreement_verbs:
                signers += self.agent_only(child)
                parties += self.refs_in(self.complements(child, "entre", "avec"))
        if signing and governing is not None and plain(governing.lemma_) == "signature":
            parties += self.refs_in(self.complements(governing, "entre", "avec", "de"))
        elif signing and governing is not None:  # "X a ratifié le traité avec Y"
            partners = self.refs_in(self.complements(governing, "entre", "avec"))
            parties += partners
            if governing.pos_ in ("VERB", "AUX"):  # "Kim a signé avec Poutine un accord": both sign
                signers += [i for i in partners if self.mention(i).cls == "Person" and i not in signers]
        parties += [i for i in signers if self.mention(i).cls in ("State", "Organization")]
        signatories = [i for i in signers if self.mention(i).cls == "Person"]
        parties = self.of_class(dict.fromkeys(parties), "State", "Organization")
        if not parties and not signatories:
            parties = self.sentence_states()
            if len(parties) != 2:
                return
        self.add_event(
            "Agreement", noun, {"party": parties, "signatory": signatories}, name=self.agreement_name(noun)
        )
        people = list(dict.fromkeys(self.of_class(signatories, "Person")))
        if len(people) >= 2 and signing and governing.pos_ in ("VERB", "AUX") and not self.presupposed(noun):
            # "Poutine et Kim ont signé à Pyongyang un traité": signing together, they met
            self.add_meeting(governing, people)

    def read_bond(self, verb) -> None:
        """"Pyongyang, qui est liée à Moscou par un traité": both sides are parties to it."""
        for child in verb.children:
            if plain(child.lemma_) in self.agreement_nouns and "par" in self.cases(child):
                parties = self.subjects(verb) if not is_passive(verb) else []
                parties += [i for c in verb.children if c.dep_ == "nsubj:pass" for i in self.ref(c)]
                if verb.dep_ == "acl:relcl":
                    parties += self.ref(verb.head)
                parties += self.refs_in(self.complements(verb, "à", "avec"))
                parties = self.of_class(dict.fromkeys(parties), "State", "Organization")
                if len(parties) >= 2:
                    self.add_event("Agreement", child, {"party": parties, "signatory": []},
                                   name=self.agreement_name(child))

    def agreement_name(self, noun) -> str:
        words = [noun]
        for token in noun.subtree:
            if token.i <= noun.i:
                continue
            if token.text in (",", "(", ")", "«", "»") or token.pos_ in ("VERB", "AUX", "PRON", "SCONJ", "CCONJ"):
                break
            if token.i in self.refs or plain(token.text) in ("entre", "avec", "par", "lors", "en", "le", "à"):
                break
            words.append(token)
        while words and words[-1].pos_ in ("ADP", "DET"):
            words.pop()
        return join_tokens(words)

    def sentence_states(self) -> list[int]:
        """The states a sentence names, when it names exactly two (an agreement's parties)."""
        keys, out = [], []
        for token in self.tokens:
            idx = self.refs.get(token.i)
            if idx is not None and self.mention(idx).cls == "State" and self.mention(idx).kind == "name":
                if self.mention(idx).key not in keys:
                    keys.append(self.mention(idx).key)
                    out.append(idx)
        return out

    # -- transfers and deployments ---------------------------------------------------------
    def read_sending_verb(self, verb, lemma: str) -> None:
        clause = self.clause(verb)
        objects = self.patients(verb) + [c for c in verb.children if c.dep_ in ("obl:arg",) and "de" in self.cases(c)]
        acquiring = lemma in self.acquire_verbs
        subject_ids = {t.i for c in verb.children if c.dep_ == "nsubj" for t in c.subtree}
        if lemma in self.recipient_object_verbs:
            items = self.items_in(self.complements(verb, "en"), clause) or self.items_in(objects, clause)
        else:
            items = self.items_in([t for t in clause if t.i not in subject_ids and t.i != verb.i], clause)
        personnel = [t for t in objects if self.is_personnel(t)] if lemma in self.deploy_verbs else []
        if not personnel and lemma in self.deploy_verbs:
            personnel = [t for t in verb.children if self.is_personnel(t) and t.dep_ in ("obj", "nsubj:pass", "obl:arg")]
        if not personnel and lemma in self.deploy_verbs and is_passive(verb) \
                and not any(c.dep_ == "nsubj:pass" for c in verb.children):
            # "environ 11 000 militaires ont été envoyés", the number taken for the subject
            personnel = [t for t in clause if t.i < verb.i and self.is_personnel(t)][:1]
        if not personnel and lemma in self.deploy_verbs and is_passive(verb):
            # "environ 3 000 soldats ... auraient été envoyés" parsed in apposition to the subject
            personnel = [t for c in verb.children if c.dep_ == "nsubj:pass" for t in c.children
                         if t.dep_ == "appos" and self.is_personnel(t)][:1]
        agents = self.subjects(verb)
        pronoun = self.troops_pronoun(verb) if not personnel and lemma in self.deploy_verbs else []
        if pronoun and not agents:
            personnel, agents = pronoun, list(self.last_troops)
        if acquiring:
            recipients = agents
            suppliers = self.refs_in(self.complements(verb, "de", "auprès de", "à"))
        else:
            suppliers = agents
            recipients = self.states_in(self.complements(verb, "à", "vers", "en", "pour"))
            if lemma in self.recipient_object_verbs:
                recipients += self.refs_in(o for o in self.patients(verb) if o.i in self.refs)
                if verb.i in self.forced_subjects:  # "Téhéran approvisionne Moscou en drones", mis-parsed
                    recipients += [self.refs[t.i] for t in self.clause(verb) if t.i in self.refs
                                   and verb.i < t.i <= verb.i + 3 and not self.cases(t)][:1]
        suppliers = self.of_class(suppliers, "State", "Person")
        recipients = [i for i in self.of_class(recipients, "State") if i not in suppliers]
        if personnel and not acquiring:
            senders = suppliers or self.refs_in(personnel)
            self.add_sending("Deployment", verb, senders, recipients, personnel)
        elif items:
            self.add_transfers(verb, suppliers, recipients, items)

    def read_sending_noun(self, noun) -> None:
        """"la livraison d'obus à la Russie", "l'envoi de soldats nord-coréens", "le déploiement de troupes"."""
        clause = self.clause(noun)
        lemma = plain(noun.lemma_)
        of = self.complements(noun, "de")
        items = self.items_in(of, clause)
        personnel = [t for t in clause if self.is_personnel(t) and t.i != noun.i]
        suppliers = [i for i in self.refs_in(of) if self.mention(i).cls == "State"]
        suppliers += [i for i in self.demonym_of(noun)]
        recipients = self.states_in(self.complements(noun, "à", "vers", "en", "pour", "sur", "dans"))
        recipients = [i for i in recipients if self.mention(i).key not in {self.mention(x).key for x in suppliers}]
        if not suppliers:  # "la livraison d'obus par Pyongyang", "par" attached deeper by the parse
            suppliers = [i for t in noun.subtree if t.i != noun.i and "par" in self.cases(t)
                         for i in self.ref(t) if self.mention(i).cls == "State"]
        owner = [c for c in noun.children if plain(c.text) in POSSESSIVES]
        if owner and not suppliers:
            idx = self.possessor(noun)
            if idx is not None and self.mention(idx).cls == "State":
                suppliers.append(idx)
        if not suppliers and not recipients and (items or personnel) and self.read_denial(noun, items, personnel):
            return
        if personnel and lemma in self.deploy_nouns | {"envoi", "envois"}:
            senders = suppliers or self.refs_in(personnel)
            self.add_sending("Deployment", noun, senders, recipients, personnel)
        if items and lemma in self.transfer_nouns:
            if not suppliers:
                suppliers = [i for t in personnel for i in self.refs_in([t])]
            self.add_transfers(noun, self.of_class(suppliers, "State"), recipients, items)

    def read_denial(self, noun, items, personnel) -> bool:
        """"Moscou et Pyongyang démentent toute livraison d'armes": a denial naming no side of its
        own denies the article's transfers (or deployments) that the deniers take part in, of the
        denied kind ("armes" or nothing said: any kind), those reported before it now and those
        after it once the article is read (`deny_later`). True when the noun is such a denial."""
        verb = noun.head
        if noun.dep_ == "obj" and verb.pos_ in ("VERB", "AUX") and (
                plain(verb.lemma_) in self.denial_verbs or plain(verb.text) in self.denial_verbs):
            denying = self.subjects(verb)
        elif self.denial_adverb(noun) or (noun.head.i != noun.i and self.denial_adverb(noun.head)):
            # "Pyongyang dément tout envoi", "dément" tagged as an adverb: the denier is where the
            # parse hung the noun (or the adverb), or a name the parse hung before the noun
            denying = self.ref(noun.head) if noun.head.i != noun.i else \
                [i for c in noun.children if c.i < noun.i for i in self.ref(c)]
        else:
            return False
        deniers = set()
        for idx in denying:
            mention = self.mention(idx)
            key = mention.key if mention.cls == "State" else mention.affiliation if mention.cls == "Person" else None
            if key:
                deniers.add(key)
        lemma = plain(noun.lemma_)
        if personnel and lemma in self.deploy_nouns | {"envoi", "envois"}:
            cls, giver, kinds = "Deployment", "sender", None
        elif lemma in self.transfer_nouns:
            cls, giver = "ArmsTransfer", "supplier"
            kinds = frozenset({category for _, category, _ in items} - {"MilitaryEquipment"}) or None
        else:
            return False
        if not deniers:
            return False
        self.add_event(cls, noun, {})  # the denial as this sentence reports it, roles to come
        denial = Denial(self.facts.events.pop(), frozenset(deniers), kinds, giver)
        if denial.event.factuality != "Denied":
            return False
        self.denials.append(denial)
        self.apply_denial(denial, [e for e in self.facts.events if e.sent < denial.event.sent])
        return True

    def apply_denial(self, denial: Denial, events: list[RawEvent]) -> None:
        """One Denied evidence per event of `events` the denial covers (one per side pair and item)."""
        seen = set()
        for event in events:
            sides = {self.mention(i).key for role in (denial.giver, "recipient") for i in event.roles.get(role, [])}
            mark = (event.item, event.category, tuple(sorted(sides)))
            if event.cls != denial.event.cls or event.factuality == "Denied" or not denial.deniers & sides \
                    or (denial.kinds is not None and event.category not in denial.kinds) or mark in seen:
                continue
            seen.add(mark)
            roles = {k: list(v) for k, v in event.roles.items() if k != "place"}
            self.facts.events.append(dataclasses.replace(denial.event, roles=roles, item=event.item,
                                                         category=event.category))

    def deny_later(self) -> None:
        """Denials also cover what the article reports after them."""
        for denial in self.denials:
            self.apply_denial(denial, [e for e in self.facts.events if e.sent > denial.event.sent])

    def read_presence(self, token) -> None:
        """"des soldats nord-coréens qui ont combattu aux côtés des forces russes": troops abroad."""
        people = [c for c in token.children if c.dep_.startswith("nsubj") and self.is_personnel(c)]
        if token.dep_ in ("acl", "acl:relcl", "amod") and self.is_personnel(token.head):
            people.append(token.head)
        if not people:
            return
        senders = self.of_class(self.refs_in(people), "State")
        allies = []
        for t in self.clause(token):
            if plain(t.lemma_) in self.ally_markers or plain(t.text) in self.ally_markers:
                # "aux côtés des forces russes (en Ukraine)": the side, not where it fights
                sides = [c for c in t.children if "de" in self.cases(c) or c.dep_ in ("obj", "nmod")]
                allies += self.refs_in(sides + [x for c in sides for x in self.of_phrase(c)])
        allies += self.agent_in_operation(token)
        if not self.of_class(allies, "State") and (plain(token.lemma_) in self.stationed
                                                   or plain(token.text) in self.stationed):
            # "des militaires nord-coréens se trouvent en Russie": where they are is who hosts them
            allies += self.states_in(self.complements(token, "en", "à", "dans", "sur"))
            for place in self.places_near(token):
                state = self.gaz.state_of_place(self.mention(place).key) if self.mention(place).key else None
                if state:
                    allies.append(self.add_synthetic_state(state, place))
        recipients = [i for i in self.of_class(allies, "State") if self.mention(i).key not in
                      {self.mention(s).key for s in senders}]
        if senders and recipients:
            self.add_sending("Deployment", token, senders, recipients, people)

    def agent_in_operation(self, verb) -> list[int]:
        """"participé à la reconquête par la Russie de Koursk": Russia is the side they joined."""
        out = []
        for t in self.clause(verb):
            if t.pos_ == "NOUN" and t.i != verb.i:
                out += [i for c in t.children if "par" in self.cases(c) for i in self.ref(c)]
        return out

    def read_elaboration(self, verb) -> None:
        """"Ces armements comprennent des obus et des lance-roquettes": more items of the last transfer."""
        subject = [c for c in verb.children if c.dep_ == "nsubj"]
        if not subject or not any(plain(c.text) in ("ces", "ce", "cette") for c in subject[0].children):
            return
        if not self.item_category(subject[0]) and plain(subject[0].lemma_) not in self.transfer_nouns:
            return
        previous = [e for e in self.facts.events if e.cls == "ArmsTransfer" and e.sent >= self.sent_no - 3]
        if not previous:
            return
        last = previous[-1]
        clause = self.clause(verb)
        items = self.items_in([c for c in clause if c.dep_ in ("obj", "conj", "nmod")], clause)
        self.add_transfers(verb, list(last.roles.get("supplier", [])), list(last.roles.get("recipient", [])), items)

    def is_personnel(self, token) -> bool:
        lemma, text = plain(token.lemma_), plain(token.text)
        if token.i in self.refs:
            return self.mention(self.refs[token.i]).kind == "demonym" and token.pos_ in ("NOUN", "PROPN")
        if lemma not in self.personnel and text not in self.personnel:
            # "conseillers militaires": a listed phrase of a noun and the adjective after it
            following = [c for c in token.children if c.dep_ == "amod" and c.i == token.i + 1]
            return bool(following) and f"{text} {plain(following[0].text)}" in self.personnel
        if lemma in ("force", "forces", "hommes", "homme", "unité", "unités"):
            # need a nationality, "armées", or a head count: "10 000 hommes"
            return bool(self.demonym_of_peek(token)) or any(plain(c.text) == "armées" for c in token.children) \
                or self.quantity_before(token) is not None
        return True

    def demonym_of_peek(self, noun) -> list[str]:
        return [c.text for c in noun.children if c.dep_ == "amod" and self.gaz.state_of_demonym(c.text)]

    def add_sending(self, cls: str, trigger, senders, recipients, personnel) -> None:
        senders = list(dict.fromkeys(self.of_class(senders, "State", "Person")))
        recipients = [i for i in dict.fromkeys(recipients) if self.mention(i).key not in
                      {self.mention(s).key for s in senders}]
        places = self.places_near(trigger)
        if not recipients and self.is_sending(trigger):  # "dans la région russe de Koursk"
            for token in self.complements(trigger, "dans", "à", "en", "vers", "sur"):
                if token.i not in self.refs:
                    recipients += [i for i in self.demonym_of(token) if self.mention(i).key not in
                                   {self.mention(s).key for s in senders}]
        if not recipients and cls == "Deployment":  # "dépêché dans la région de Koursk": Koursk's state
            sender_keys = {self.mention(i).key for i in senders}
            for place in places:
                state = self.gaz.state_of_place(self.mention(place).key) if self.mention(place).key else None
                if state and state not in sender_keys and self.is_sending(trigger):
                    recipients.append(self.add_synthetic_state(state, place))
        if not senders and not recipients:
            return
        quantity = self.quantity_before(personnel[0]) if personnel else None
        if personnel and personnel[0].dep_ == "nmod" and plain(personnel[0].head.lemma_) in PARTITIVE_NOUNS:
            quantity = None
        self.add_event(cls, trigger, {"sender": senders, "recipient": recipients, "place": places},
                       quantity=quantity)

    def is_sending(self, trigger) -> bool:
        lemma = plain(trigger.lemma_)
        return lemma in self.deploy_verbs or lemma in self.deploy_nouns

    def add_transfers(self, trigger, suppliers, recipients, items) -> None:
        suppliers = list(dict.fromkeys(self.of_class(suppliers, "State", "Person")))
        if not suppliers:  # "des obus nord-coréens livrés à la Russie": the items' nationality
            for head, _, _ in items:
                suppliers += [i for i in self.demonym_of(head) if self.mention(i).key not in
                              {self.mention(r).key for r in recipients}]
        recipients = [i for i in dict.fromkeys(recipients) if self.mention(i).key not in
                      {self.mention(s).key for s in suppliers}]
        if not items:
            return
        if not suppliers and not recipients and trigger.pos_ in ("NOUN",):
            return
        seen = set()
        for head, category, text in items:
            if category in seen:
                continue
            seen.add(category)
            self.add_event("ArmsTransfer", trigger, {"supplier": suppliers, "recipient": recipients},
                           item=text, category=category, quantity=self.quantity_before(head))

    # -- items -----------------------------------------------------------------------------
    def item_category(self, token) -> str | None:
        lemma, text = plain(token.lemma_), plain(token.text)
        doc = token.doc
        if token.i > 1 and doc[token.i - 1].text == "-" and not doc[token.i - 2].whitespace_:
            return None  # the tail of a compound ("lance-roquettes"): its head word decides
        if token.i + 2 < len(doc) and doc[token.i + 1].text == "-" and not token.whitespace_:
            compound = plain(token.text + "-" + doc[token.i + 2].text)
            for category in ITEM_PRIORITY:
                if compound in self.items[category]:
                    return category
        if token.i + 2 < len(doc) and plain(doc[token.i + 1].text) in ("de", "d'"):
            phrase = plain(doc[token.i:token.i + 3].text)  # "pièces d'artillerie", a listed phrase
            for category in ITEM_PRIORITY:
                if phrase in self.items[category]:
                    return category
        for category in ITEM_PRIORITY:
            words = self.items[category]
            if lemma in words or text in words:
                if lemma in self.needs_military or text in self.needs_military:
                    modifiers = {plain(c.lemma_) for c in token.subtree if c.i != token.i}
                    modifiers |= {plain(c.text) for c in token.subtree if c.i != token.i}
                    if not modifiers & self.military_modifiers:
                        return None
                return category
        return None

    def items_in(self, tokens, clause) -> list[tuple[object, str, str]]:
        """(head token, category, text as written) for each item among `tokens` and their conjuncts."""
        clause_ids = {t.i for t in clause}
        found, covered = [], set()
        candidates = []
        for token in tokens:
            for t in conjuncts(token):
                candidates.extend(x for x in t.subtree if x.i in clause_ids)
        for token in sorted(set(candidates), key=lambda t: t.i):
            if token.i in covered or token.pos_ not in ("NOUN", "PROPN", "ADJ", "VERB") or token.i in self.refs:
                continue
            category = self.item_category(token)
            if category is None and self.is_container(token):
                inner = [x for x in token.subtree if x.i != token.i and self.item_category(x)]
                if inner:
                    category = min((self.item_category(x) for x in inner), key=ITEM_PRIORITY.index)
            if category is None:
                continue
            # "systèmes d'artillerie": a more specific word inside names the category
            inner = [self.item_category(x) for x in self.modifiers(token) if x.i in clause_ids]
            inner = [c for c in inner if c]
            if inner and category == "MilitaryEquipment":
                category = min(inner, key=ITEM_PRIORITY.index)
            span = self.item_span(token)
            covered |= {t.i for t in span}
            found.append((token, category, join_tokens(span)))
        return found

    def modifiers(self, token) -> list:
        """The words that describe a noun: its subtree without coordinated nouns and clauses."""
        out, stack = [], [c for c in token.children if c.dep_ not in ("conj", "cc", "acl:relcl", "punct")]
        while stack:
            t = stack.pop()
            out.append(t)
            stack.extend(c for c in t.children if c.dep_ not in ("conj", "acl:relcl"))
        return out

    def is_container(self, token) -> bool:
        return plain(token.lemma_) in self.containers or plain(token.text) in self.containers

    def item_span(self, head) -> list:
        """The item as written: its head and the modifiers that describe it, not its destination."""
        out = [head]
        i = head.i + 1
        doc = head.doc
        while i < self.sent.end:
            token = doc[i]
            word = plain(token.text)
            if token.text == "-" and not doc[i - 1].whitespace_ and i + 1 < self.sent.end:
                out += [token, doc[i + 1]]  # "lance-roquettes"
                i += 2
                continue
            if token.is_punct or token.pos_ in ("CCONJ", "SCONJ", "PRON", "AUX") or token.i in self.refs:
                break
            if self.gaz.state_of_demonym(token.text):
                break  # the nationality says who supplies, not what
            if token.pos_ == "VERB" and not self.is_container(head):
                break
            if token.pos_ == "ADP" and word not in ("de", "d'", "du", "des"):
                break
            if word in ("ainsi",):
                break
            if token.pos_ == "DET" and word not in ("de", "d'", "du", "des"):
                break
            if self.item_category(token) and token.i != head.i and not self.is_container(head) and token.dep_ == "conj":
                break
            out.append(token)
            i += 1
        while out and (out[-1].pos_ in ("ADP", "DET") or plain(out[-1].text) in ("de", "d'", "des", "du")):
            out.pop()
        return out

    def quantity_before(self, head) -> Quantity | None:
        """The quantity written right before an item or a group of people ("12 millions d'obus")."""
        sent_text = self.sent_text
        head_start = head.idx - self.sent.start_char
        for start, end, quantity in self.sentence_quantities():
            between = sent_text[end:head_start].strip(" \u00a0\u202f").replace("’", "'")
            if end <= head_start and between in ("", "de", "d'", "des"):
                return quantity
        return None

    # -- factuality and attribution --------------------------------------------------------
    def presupposed(self, trigger) -> bool:
        """"Depuis la signature d'un accord, X aurait livré…": the accord is a given, not the claim."""
        if trigger.pos_ not in ("NOUN", "PROPN"):
            return False
        for token in verb_chain(trigger):
            if token.pos_ in ("VERB", "AUX"):
                return False
            if set(self.cases(token)) & PRESUPPOSING:
                return True
        return False

    def factuality(self, trigger) -> tuple[str, int | None]:
        chain = verb_chain(trigger)
        if self.presupposed(trigger):
            own = {plain(c.text) for c in trigger.children} | {plain(c.lemma_) for c in trigger.children}
            return ("Possible" if own & self.possible_words else "Asserted"), None
        source = self.source_of(chain)
        reported = source is not None
        possible = denied = False
        for position, token in enumerate(chain):
            lemma = plain(token.lemma_)
            tokens = [token] + auxiliaries(token)
            moods = {m for t in tokens for m in t.morph.get("Mood")}
            if any(is_conditional(t) for t in tokens):
                moods.add("Cnd")
            tenses = {m for t in tokens for m in t.morph.get("Tense")}
            if token.pos_ in ("VERB", "AUX") and has_negation(token, self.negations):
                if lemma == "exclure":
                    possible = True
                elif position == 0 or lemma in self.modal_verbs:
                    denied = True
            if (lemma in self.denial_verbs or plain(token.text) in self.denial_verbs) and position > 0:
                denied = True
            if self.denial_adverb(token):
                denied = True  # "Moscou dément toute présence…" tagged as an adverb
                if source is None:  # the name the adverb hangs on, or the noun's head or a name before it
                    deniers = [token] if position > 0 else [token.head] if token.head.i != token.i else \
                        [c for c in token.children if c.i < token.i]
                    source = next((self.refs[t.i] for t in deniers if t.i in self.refs), None)
            if lemma in self.modal_verbs and position > 0 and lemma != "exclure":
                possible = True
            if lemma in self.question_verbs and position > 0:
                possible = True
            if lemma == "pouvoir" and position == 0:
                possible = True
            if position <= 1 and "Fut" in tenses and token.pos_ in ("VERB", "AUX"):
                possible = True
            if "Cnd" in moods:
                if lemma in self.modal_verbs:
                    possible = True
                else:
                    reported = True
            if lemma in self.allegation_verbs and position > 0:
                reported = True
            if lemma in self.reporting_nouns and position > 0:
                reported = True
            if position > 0 and (lemma in self.possible_words or plain(token.text) in self.possible_words):
                possible = True
            if token.dep_ == "ROOT":
                break
        incise = self.reporting_incise(chain, trigger)
        if incise is not None:  # "…, a rapporté l'agence TASS": the whole sentence is its claim
            reported = True
            if source is None:
                source = self.incise_source(incise)
        for child in trigger.children:
            if plain(child.text) in self.possible_words or plain(child.lemma_) in self.possible_words:
                possible = True
        if trigger.head.i != trigger.i and plain(trigger.head.lemma_) in self.possible_words:
            possible = True
        # a denial noun of the sentence ("malgré les dénégations") belongs to others: the claim keeps its mood
        if denied:
            return "Denied", source
        if possible:
            return "Possible", source
        if reported:
            return "Reported", source
        return "Asserted", source

    def reporting_incise(self, chain, trigger):
        """A reporting verb put after the claim with its subject inverted, hung by the parse on the
        claim's main verb: "Les deux hommes ont discuté de X, a rapporté l'agence TASS"; "…, affirment
        les services sud-coréens"."""
        root = chain[-1]
        for token in chain:
            if token.dep_ == "ROOT":
                root = token
                break
        for child in root.children:
            if child.dep_ not in ("conj", "parataxis", "advcl", "advmod") or child.pos_ not in ("VERB", "ADJ") \
                    or child.i <= trigger.i or plain(child.lemma_) not in self.allegation_verbs:
                continue
            first = min(t.i for t in [child] + auxiliaries(child))
            if first == 0 or child.doc[first - 1].text != ",":
                continue
            if any(c.dep_ in ("nsubj", "mark") and c.i < child.i and not c.text.startswith("-")
                   for c in child.children):
                continue  # "…, et Séoul affirme que…": a clause of its own ("a-t-il dit" is inverted)
            if any(c.dep_ in ("ccomp", "xcomp") for c in child.children):
                continue  # "X a reçu Y, a estimé que…": the same subject goes on with its own claim
            speaker = any(c.dep_ in ("nsubj", "obj", "nsubj:pass", "appos") and c.i > child.i
                          and c.pos_ in ("NOUN", "PROPN") for c in child.children)
            if speaker or self.inverted_pronoun(child) is not None:
                return child
        return None

    @staticmethod
    def inverted_pronoun(verb):
        """The "-t-il" / "-elle" of an inverted verb, on the verb or its auxiliary."""
        for token in [verb] + auxiliaries(verb):
            for child in token.children:
                if child.pos_ == "PRON" and child.text.startswith("-"):
                    return child
        return None

    def incise_source(self, verb) -> int | None:
        """The inverted subject of a reporting incise: the first name after the verb, or who "-t-il"
        stands for."""
        inverted = self.inverted_pronoun(verb)
        if inverted is not None:
            return self.subject_before(inverted)
        for child in verb.children:
            if child.dep_ in ("nsubj", "obj", "nsubj:pass", "appos") and child.i > verb.i:
                found = self.source_in(child)
                if found is not None:
                    return found
        return None

    def denial_adverb(self, token) -> bool:
        """"Moscou dément (également) toute présence…" with "dément" tagged as an adverb of the noun,
        of its subject, or of an adverb of either."""
        near = [c for c in token.children if c.dep_ in ("advmod", "amod", "dep", "nsubj")]
        near += [g for c in near for g in c.children if c.dep_ == "advmod"]
        near += [g for c in near if c.pos_ == "ADV" for g in c.children if c.dep_ == "advmod"]
        return any(plain(t.text) in self.denial_verbs and t.dep_ != "nsubj" for t in near)

    def source_of(self, chain) -> int | None:
        """Who a claim is attributed to: "selon X", "d'après X", "X accuse", "accusations américaines"."""
        doc = self.sent.doc
        for token in self.tokens:
            marker = plain(token.text)
            if marker in ("selon", "d'après") or (marker == "après" and token.i > self.sent.start
                                                   and plain(doc[token.i - 1].text) in ("d'", "d’")):
                found = self.source_after(token)
                if found is not None:
                    return found
        for position, token in enumerate(chain[1:], start=1):
            lemma = plain(token.lemma_)
            verbal = token.pos_ in ("VERB", "AUX") or (token.pos_ == "ADJ" and auxiliaries(token))
            if (lemma in self.allegation_verbs or lemma in self.denial_verbs) and verbal:
                inverted = self.inverted_pronoun(token)
                if inverted is not None:  # "« … », a-t-il martelé"
                    return self.subject_before(inverted)
                for child in token.children:
                    # a subject the claim hangs under is the parse's mistake, not the speaker:
                    # "Kim a reçu X à Pyongyang, rapporte l'agence KCNA" with Kim as rapporte's subject
                    if child.dep_ in ("nsubj",) and self.ref(child) and child not in chain:
                        return self.ref(child)[0]
                    if child.dep_ == "nsubj" and child.i < token.i and child not in chain:
                        found = self.source_in(child)  # "les services de renseignement ukrainiens affirment"
                        if found is not None:
                            return found
                agents = self.agent_only(token)
                if agents:
                    return agents[0]
                for child in token.children:  # ", a affirmé Choe Son Hui": the inverted subject
                    if child.dep_ in ("obj", "nsubj:pass") and child.i > token.i and child.i in self.refs \
                            and self.mention(self.refs[child.i]).cls in ("Person", "Organization", "State"):
                        return self.refs[child.i]
            if lemma in self.reporting_nouns:
                for child in token.children:
                    if child.dep_ == "amod" and self.gaz.state_of_demonym(child.text):
                        return self.demonym_of(token)[0]
                    if child.i in self.refs:
                        return self.refs[child.i]
        return None

    def source_after(self, marker) -> int | None:
        """The first person, organisation or state named after "selon"/"d'après", up to a comma or verb."""
        doc = marker.doc
        if marker.i + 1 < self.sent.end and plain(doc[marker.i + 1].lemma_) in ("lequel", "laquelle", "lesquels", "lesquelles"):
            return self.source_of_noun(doc[marker.i - 1]) if marker.i > self.sent.start else None
        for i in range(marker.i + 1, self.sent.end):
            token = doc[i]
            if i in self.refs and self.mention(self.refs[i]).cls in ("Person", "Organization", "State"):
                return self.refs[i]
            if token.pos_ in ("VERB", "AUX") and token.dep_ not in ("acl", "amod"):
                break
            if token.text in (",", ";", ":", ".") and i > marker.i + 1:
                break
            nationality = self.gaz.state_of_demonym(token.text) if token.dep_ == "amod" else None
            if nationality:  # "selon les renseignements sud-coréens" with no organisation known
                return self.add_mention(token, "demonym", "State", nationality)
        return None

    def source_of_noun(self, noun) -> int | None:
        """Who "les accusations américaines" / "les affirmations de Séoul" come from."""
        for child in noun.children:
            if child.dep_ == "amod" and self.gaz.state_of_demonym(child.text):
                return self.add_mention(child, "demonym", "State", self.gaz.state_of_demonym(child.text))
            if child.i in self.refs and self.mention(self.refs[child.i]).cls in ("Person", "Organization", "State"):
                return self.refs[child.i]
        return None

    def source_in(self, target) -> int | None:
        """The entity behind "selon X": X itself, or "les informations fournies par X"."""
        if target.i in self.refs:
            return self.refs[target.i]
        for token in target.subtree:
            if token.i in self.refs and self.mention(self.refs[token.i]).cls in ("Person", "Organization", "State"):
                return self.refs[token.i]
        for token in target.subtree:
            if token.dep_ == "amod" and self.gaz.state_of_demonym(token.text):
                return self.add_mention(token, "demonym", "State", self.gaz.state_of_demonym(token.text))
        return None

    # -- events ----------------------------------------------------------------------------
    def add_event(self, cls: str, trigger, roles: dict[str, list[int]], *, quantity=None, item=None,
                  category=None, name=None) -> None:
        factuality, source = self.factuality(trigger)
        sent = self.sent
        start = self.offset + sent.start_char
        text = self.sent_text
        stripped = len(text) - len(text.lstrip())
        text = text.strip()
        start += stripped
        trigger_start = self.offset + trigger.idx
        roles = {k: list(dict.fromkeys(v)) for k, v in roles.items() if v}
        event = RawEvent(
            cls=cls, roles=roles, sent=self.sent_no, paragraph=self.paragraph,
            start=start, end=start + len(text), text=text,
            trigger=trigger.text, trigger_start=trigger_start, trigger_end=trigger_start + len(trigger.text),
            factuality=factuality, source=source, quantity=quantity,
            date=self.date_for(trigger, ahead=factuality == "Possible" and self.looks_ahead(trigger)),
            item=item, category=category, name=name,
        )
        self.facts.events.append(event)

    def looks_ahead(self, trigger) -> bool:
        """Whether a Possible event lies ahead ("doivent se voir mercredi", "se rendra lundi"), not
        in a past that did not happen ("aurait pu livrer en mars", "pourrait avoir livré")."""
        for token in verb_chain(trigger):
            if token.pos_ not in ("VERB", "AUX"):
                continue
            tense_aux = [a for a in auxiliaries(token) if a.dep_ == "aux:tense"]
            if token.i == trigger.i and tense_aux and "Inf" in tense_aux[0].morph.get("VerbForm"):
                return False  # a perfect infinitive: "pourrait avoir livré"
            if tense_aux and any(is_conditional(a) for a in tense_aux):
                return False  # a past conditional: "aurait pu", "aurait dû"
            if token.dep_ == "ROOT":
                break
        return True

    def date_for(self, trigger, ahead: bool = False) -> DateValue | None:
        """The date written in the trigger's own clause, not in another verb's clause.

        A date belongs to the trigger when the way up from the date reaches the trigger (or the
        verb governing a nominal trigger: "ont signé un accord le 19 juin") before any other verb.
        """
        sent = self.sent
        found = self.sentence_dates(ahead)
        if not found:
            return None
        signing = [c for c in trigger.children if c.dep_ == "acl" and plain(c.lemma_) in self.agreement_verbs]
        owners = {trigger.i} | {c.i for c in signing}
        if trigger.pos_ in ("NOUN", "PROPN") and trigger.head.i != trigger.i:
            governing = trigger.head
            if plain(governing.text) == "lors" and governing.head.i != governing.i:
                governing = governing.head
            # "ont effectué mardi une visite", "le sommet s'est tenu lundi": the verb dates the event;
            # "a qualifié jeudi l'envoi de troupes de provocation": jeudi is when it was said
            dating = self.dating_verbs | (self.scheduling_verbs if trigger.dep_.startswith("nsubj") else frozenset())
            if (governing.pos_ in ("VERB", "AUX") and plain(governing.lemma_) in dating) \
                    or plain(governing.lemma_) == "signature":
                owners.add(governing.i)
        for start, end, value in found:
            span = sent.doc.char_span(sent.start_char + start, sent.start_char + end, alignment_mode="expand")
            if span is None:
                continue
            for ancestor in verb_chain(span.root):
                if ancestor.i in owners:
                    return self.range_date(found, start, end, value)
                if ancestor.i not in {t.i for t in span} and (
                    ancestor.pos_ in ("VERB",) or (self.is_any_trigger(ancestor) and ancestor.i != trigger.i)
                ):
                    break
        for verb in signing:  # "l'accord signé par X et Y en 2024 est actif", the date hung elsewhere
            phrase_end = self.phrase_end(verb)
            for start, end, value in found:
                if verb.idx - sent.start_char < start and end <= phrase_end:
                    return value
        return None

    def range_date(self, found, start: int, end: int, value: DateValue) -> DateValue | None:
        """A date that opens a range ("entre août et octobre 2023", "de mars à mai", "depuis juillet")
        is not the event's: the range is, as the year both ends share (the article's day ends a
        "depuis"); without one, no date."""
        text = self.sent_text
        if SINCE.search(text[max(0, start - 16):start]):
            # "livré depuis l'été dernier": from then until the article's day
            ref = self.article.date
            same_year = ref is not None and value.datatype != "gMonthDay" and value.lexical[:4] == f"{ref.year:04d}"
            return DateValue(value.lexical[:4], "gYear") if same_year else None
        joint = RANGE_END.match(text, end)
        if not RANGE_START.search(text[max(0, start - 12):start]) or not joint \
                or not starts_with_date_word(text[joint.end():]):
            return value  # "les livraisons de 2023", "le sommet de juin à Pyongyang": no range
        for other_start, _, other in found:
            if other_start > end and RANGE_END.fullmatch(text[end:other_start]):
                year = value.lexical[:4]
                if value.datatype != "gMonthDay" and other.lexical[:4] == year:
                    return DateValue(year, "gYear")
                return None
        return None

    def phrase_end(self, verb) -> int:
        """Where a participle's phrase ends on the surface (offset in the sentence): at the next
        verb, auxiliary or punctuation mark, whatever the parse made of the words in between."""
        doc = verb.doc
        for i in range(verb.i + 1, self.sent.end):
            if doc[i].pos_ in ("VERB", "AUX") or doc[i].is_punct and doc[i].pos_ == "PUNCT":
                return doc[i].idx - self.sent.start_char
        return len(self.sent_text)

    def is_any_trigger(self, token) -> bool:
        lemma = plain(token.lemma_)
        return lemma in self.meeting_nouns or lemma in self.agreement_nouns or lemma in self.transfer_nouns or (
            token.pos_ == "VERB" and (lemma in self.transfer_verbs or lemma in self.meeting_verbs
                                      or lemma in self.agreement_verbs or lemma in self.deploy_verbs)
        ) or lemma == "signature"

    def fill_from_context(self, new: list[RawEvent]) -> None:
        """Roles a sentence leaves unsaid, and a reported source, carried over from the paragraph.

        "De plus, 13 000 soldats auraient été déployés" continues the previous sentence's claim:
        the missing sender or recipient is the one of the paragraph's last transfer or deployment,
        and a conditional sentence without its own source keeps the previous sentence's source.
        """
        context = [e for e in self.facts.events if e not in new and e.paragraph == self.paragraph
                   and e.cls in ("ArmsTransfer", "Deployment") and e.sent >= self.sent_no - 2]
        for event in new:
            if event.cls not in ("ArmsTransfer", "Deployment"):
                continue
            giver, taker = ("supplier", "recipient") if event.cls == "ArmsTransfer" else ("sender", "recipient")
            for previous in reversed(context):
                prev_giver = previous.roles.get("supplier") or previous.roles.get("sender")
                prev_taker = previous.roles.get("recipient")
                if not event.roles.get(giver) and prev_giver:
                    event.roles[giver] = list(prev_giver)
                    event.inherited = True
                if not event.roles.get(taker) and prev_taker:
                    keys = {self.mention(i).key for i in event.roles.get(giver, [])}
                    kept = [i for i in prev_taker if self.mention(i).key not in keys]
                    if kept:
                        event.roles[taker] = kept
                        event.inherited = True
                break
        for event in new:
            if event.source is None and event.factuality == "Reported":
                earlier = [e for e in self.facts.events if e not in new and e.paragraph == self.paragraph
                           and e.source is not None and e.sent >= self.sent_no - 1]
                if earlier:
                    event.source = earlier[-1].source
