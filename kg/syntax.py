"""Small questions about a spaCy dependency parse, asked the same way by every rule."""
from __future__ import annotations

from kg.lexicon import plain

CLAUSE_DEPS = {"acl:relcl", "ccomp", "advcl", "csubj", "parataxis", "acl"}
SUBJECT_DEPS = {"nsubj", "nsubj:pass", "csubj"}


def cases(token) -> list[str]:
    """The prepositions introducing a token ("à", "de", "entre"...), multiword ones joined."""
    out = []
    for child in token.children:
        if child.dep_ in ("case", "mark") and child.i < token.i:
            fixed = [f.text for f in child.children if f.dep_ == "fixed"]
            out.append(plain(" ".join([child.text] + fixed)).replace("' ", "'").replace("’", "'"))
    if token.dep_ in ("obl:arg", "obl:mod", "obl", "nmod") and not out:
        # the md parser sometimes hangs "des" (ADP) as a case of the previous word
        previous = token.doc[token.i - 1] if token.i > 0 else None
        if previous is not None and previous.pos_ == "ADP":
            out.append(plain(previous.text))
    return [normalise_case(c) for c in out]


def normalise_case(case: str) -> str:
    case = case.replace("’", "'")
    return {"au": "à", "aux": "à", "du": "de", "des": "de", "d'": "de", "a": "à"}.get(case, case)


def conjuncts(token) -> list:
    """A token and everything coordinated with it ("Poutine et Kim Jong-un")."""
    out = [token]
    for child in token.children:
        if child.dep_ == "conj":
            out.extend(conjuncts(child))
    return out


def coordination_root(token):
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    return token


# verbs conjugated with "être" in the active voice: "est arrivé" is not a passive
UNACCUSATIVE = {"arriver", "venir", "partir", "aller", "rester", "entrer", "sortir", "retourner", "revenir",
                "parvenir", "devenir", "tomber", "passer", "demeurer", "intervenir", "survenir", "décéder", "mourir"}


def is_passive(verb) -> bool:
    if plain(verb.lemma_) in UNACCUSATIVE or any(c.dep_.startswith("expl") for c in verb.children):
        return False
    if any(c.dep_ in ("aux:pass", "nsubj:pass") for c in verb.children):
        return True
    # a bare past participle qualifying a noun or a clause: "l'accord signé par…", "Reçu par X, …"
    bare = not any(c.dep_.startswith("aux") or c.dep_ == "nsubj" for c in verb.children)
    return bare and verb.dep_ in ("acl", "advcl") and "Part" in verb.morph.get("VerbForm") \
        and "Past" in verb.morph.get("Tense")


def is_conditional(token) -> bool:
    """Conditional mood, also where the tagger missed it ("fournirait", "auraient")."""
    if "Cnd" in token.morph.get("Mood"):
        return True
    text = token.text.lower()
    return token.pos_ in ("VERB", "AUX") and text.endswith(("rait", "raient")) and len(text) > 6


def auxiliaries(verb) -> list:
    return [c for c in verb.children if c.dep_.startswith("aux") or c.dep_ == "cop"]


def verb_chain(token):
    """The token and its ancestors up to the sentence root (nearest first)."""
    chain = [token]
    while chain[-1].head.i != chain[-1].i:
        chain.append(chain[-1].head)
    return chain


def clause_tokens(head) -> list:
    """The head's subtree without embedded clauses headed by another verb (relatives, completives)."""
    out, stack = [], [head]
    while stack:
        token = stack.pop()
        out.append(token)
        for child in token.children:
            if (child.dep_ in CLAUSE_DEPS or child.dep_ == "conj") and child.pos_ in ("VERB", "AUX") and child.i != head.i:
                continue
            stack.append(child)
    return sorted(out, key=lambda t: t.i)


def has_negation(verb, negations: frozenset[str]) -> bool:
    """"ne … pas/jamais/plus" on the verb or its auxiliary; "plus" alone ("plus de 10 000") is not one."""
    scope = [verb] + auxiliaries(verb)
    words = {plain(c.text) for t in scope for c in t.children} | {plain(c.text) for c in verb.children}
    has_ne = any(w in ("ne", "n'") for w in words)
    return has_ne and bool(words & negations)
