"""kg.slug: readable ASCII slugs and short hashes that never change between runs."""
from __future__ import annotations

import doctest
import hashlib
import os
import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import kg.slug
from kg.slug import short_hash, slugify

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Corée du Nord", "coree-du-nord"),
        ("Sergueï Lavrov", "serguei-lavrov"),
        ("Kim Jong-un", "kim-jong-un"),
        ("L’OTAN", "l-otan"),
        ("l'Ukraine", "l-ukraine"),
        ("« Kremlin »", "kremlin"),
        ("obus de 152 mm", "obus-de-152-mm"),
        ("Œuvre d’Ærø", "oeuvre-d-aero"),
        ("Straße", "strasse"),
        ("Łódź", "lodz"),
        ("ﬁn ½", "fin-1-2"),
        ("  --Déjà--vu--  ", "deja-vu"),
        ("", "x"),
        ("« — »", "x"),
        ("조선", "x"),
    ],
)
def test_slug_slugify_examples(text, slug):
    assert slugify(text) == slug


@settings(max_examples=100, deadline=None)
@given(st.text(st.characters(exclude_categories=("Cs",))))
def test_slug_slugify_is_an_ascii_slug_and_idempotent(text):
    slug = slugify(text)
    assert SLUG.fullmatch(slug)
    assert slugify(slug) == slug


def test_slug_short_hash_is_sha256_of_parts_joined_by_unit_separator():
    assert short_hash("a1", "0", "76") == hashlib.sha256(b"a1\x1f0\x1f76").hexdigest()[:10]
    assert short_hash("a1", "0", "76") == "c4580a11a3"


def test_slug_short_hash_keeps_part_boundaries():
    assert short_hash("a", "bc") != short_hash("ab", "c")
    assert short_hash("") != short_hash("", "")


@pytest.mark.parametrize("length", [1, 10, 64])
def test_slug_short_hash_length(length):
    assert len(short_hash("Sergueï", "Lavrov", length=length)) == length


@pytest.mark.parametrize("length", [0, 65, -3])
def test_slug_short_hash_rejects_impossible_lengths(length):
    with pytest.raises(ValueError) as caught:
        short_hash("a", length=length)
    assert str(caught.value) == f"hash length must be between 1 and 64, not {length}"


def test_slug_short_hash_same_under_other_hash_seeds():
    script = "from kg.slug import short_hash; print(short_hash('Corée du Nord', 'Russie', length=16))"
    seen = {
        subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("0", "99")
    }
    assert seen == {short_hash("Corée du Nord", "Russie", length=16) + "\n"}


def test_slug_docstring_examples_run():
    result = doctest.testmod(kg.slug)
    assert result.attempted == 3 and result.failed == 0
