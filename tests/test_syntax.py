"""Dependency-parse helpers, on French Docs built by hand (no model needed)."""
import pytest
import spacy
from spacy.tokens import Doc

from kg.nlp import kg_sentences
from kg.syntax import cases, clause_tokens, conjuncts, has_negation, is_passive, verb_chain

NEGATIONS = frozenset({"pas", "jamais", "plus", "aucun"})


@pytest.fixture(scope="module")
def vocab():
    return spacy.blank("fr").vocab


def doc(vocab, words, heads, deps, pos, morphs=None):
    return Doc(vocab, words=words, heads=heads, deps=deps, pos=pos, morphs=morphs)


def test_syntax_cases_joins_fixed_prepositions(vocab):
    # "lors de la visite": "lors" + fixed "de" introduce the noun
    d = doc(vocab, ["Il", "parle", "lors", "de", "la", "visite"], [1, 1, 5, 2, 5, 1],
            ["nsubj", "ROOT", "case", "fixed", "det", "obl:mod"], ["PRON", "VERB", "ADV", "ADP", "DET", "NOUN"])
    assert cases(d[5]) == ["lors de"]


@pytest.mark.parametrize("word, expected", [("au", "à"), ("aux", "à"), ("du", "de"), ("d’", "de"), ("à", "à")])
def test_syntax_cases_normalises_contractions(vocab, word, expected):
    d = doc(vocab, ["envoyé", word, "Russes"], [0, 2, 0], ["ROOT", "case", "obl:arg"], ["VERB", "ADP", "PROPN"])
    assert cases(d[2]) == [expected]


def test_syntax_negation_needs_ne(vocab):
    # "n'a pas livré": negated; "a livré plus de 10 000 obus": not a negation
    negated = doc(vocab, ["X", "n'", "a", "pas", "livré"], [4, 4, 4, 4, 4],
                  ["nsubj", "advmod", "aux:tense", "advmod", "ROOT"], ["PROPN", "ADV", "AUX", "ADV", "VERB"])
    plain_more = doc(vocab, ["X", "a", "livré", "plus", "de", "obus"], [2, 2, 2, 2, 3, 2],
                     ["nsubj", "aux:tense", "ROOT", "advmod", "fixed", "obj"], ["PROPN", "AUX", "VERB", "ADV", "ADP", "NOUN"])
    assert has_negation(negated[4], NEGATIONS) is True
    assert has_negation(plain_more[2], NEGATIONS) is False


def test_syntax_passive_and_chain(vocab):
    # "Lavrov a été reçu par Kim"
    d = doc(vocab, ["Lavrov", "a", "été", "reçu", "par", "Kim"], [3, 3, 3, 3, 5, 3],
            ["nsubj:pass", "aux:tense", "aux:pass", "ROOT", "case", "obl:agent"],
            ["PROPN", "AUX", "AUX", "VERB", "ADP", "PROPN"])
    assert is_passive(d[3]) is True
    assert [t.i for t in verb_chain(d[5])] == [5, 3]


def test_syntax_clause_excludes_relative_clauses_and_coordinated_verbs(vocab):
    # "X livre des obus qui tuent, et Y envoie des soldats"
    words = ["X", "livre", "des", "obus", "qui", "tuent", "et", "Y", "envoie", "soldats"]
    heads = [1, 1, 3, 1, 5, 3, 8, 8, 1, 8]
    deps = ["nsubj", "ROOT", "det", "obj", "nsubj", "acl:relcl", "cc", "nsubj", "conj", "obj"]
    pos = ["PROPN", "VERB", "DET", "NOUN", "PRON", "VERB", "CCONJ", "PROPN", "VERB", "NOUN"]
    d = doc(vocab, words, heads, deps, pos)
    assert [t.text for t in clause_tokens(d[1])] == ["X", "livre", "des", "obus"]


def test_syntax_conjuncts_follow_coordination(vocab):
    d = doc(vocab, ["Poutine", "et", "Kim", "signent"], [3, 2, 0, 3], ["nsubj", "cc", "conj", "ROOT"],
            ["PROPN", "CCONJ", "PROPN", "VERB"])
    assert [t.text for t in conjuncts(d[0])] == ["Poutine", "Kim"]


@pytest.mark.parametrize("text, sentences", [
    ("Kim et Lavrov se sont vus. Puis ils sont partis.", ["Kim et Lavrov se sont vus.", "Puis ils sont partis."]),
    ("« Nous sommes prêts. » Il a ajouté cela.", ["« Nous sommes prêts. »", "Il a ajouté cela."]),
    ("Il a vu M. Kim à Wonsan", ["Il a vu M. Kim à Wonsan"]),
    ("Il a dit : oui. et il est parti.", ["Il a dit : oui. et il est parti."]),
])
def test_nlp_sentences_split_on_final_punctuation_only(text, sentences):
    nlp = spacy.blank("fr")
    d = kg_sentences(nlp(text))
    starts = [t.i for t in d if t.is_sent_start]
    bounds = starts + [len(d)]
    assert [d[a:b].text for a, b in zip(bounds, bounds[1:])] == sentences
