"""kg.corpus: finding articles, ids, metadata, HTML, duplicates, segments and their offsets."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from kg.corpus import find_sources, read_article, read_corpus, segment
from kg.errors import InputError
from kg.model import Segment

BODY_1 = "Le ministre russe de la Défense est arrivé vendredi à Pyongyang pour une visite officielle."
BODY_2 = "Il doit rencontrer les dirigeants militaires du pays et signer plusieurs documents de coopération."
BODY_3 = "Selon les agences, la délégation restera trois jours dans la capitale nord-coréenne."


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def kinds(text: str) -> list[tuple[str, str]]:
    return [(s.kind, text[s.start : s.end]) for s in segment(text)]


# ---------------------------------------------------------------------------------- sources


def test_corpus_find_sources_recurses_sorts_and_filters_suffixes(tmp_path):
    for name in ("b.txt", "a.md", "sub/c.html", "sub/deeper/d.htm", "sub/e.markdown", "F.TXT"):
        write(tmp_path / name, BODY_1)
    for name in ("notes.json", "image.png", ".hidden.txt", ".git/config.txt", "a.meta.json"):
        write(tmp_path / name, BODY_1)
    found = find_sources([tmp_path])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "F.TXT", "a.md", "b.txt", "sub/c.html", "sub/deeper/d.htm", "sub/e.markdown",
    ]


def test_corpus_find_sources_reads_explicit_file_with_any_suffix_and_merges_duplicates(tmp_path):
    notes = write(tmp_path / "notes.rst", BODY_1)
    article = write(tmp_path / "a.txt", BODY_1)
    assert find_sources([notes, tmp_path, article]) == [article, notes]


def test_corpus_find_sources_skips_explicit_sidecar(tmp_path):
    article = write(tmp_path / "a.txt", BODY_1)
    sidecar = write(tmp_path / "a.meta.json", "{}")
    assert find_sources([sidecar, article]) == [article]


@pytest.mark.parametrize(
    "sources, message",
    [
        ([], "no source given: name article files or folders"),
        (["missing"], "source not found: {tmp}/missing"),
        (["empty"], "no articles (.txt, .md, .html) in {tmp}/empty"),
    ],
)
def test_corpus_find_sources_errors(tmp_path, sources, message):
    (tmp_path / "empty").mkdir()
    write(tmp_path / "empty" / "data.csv", "a,b")
    with pytest.raises(InputError) as error:
        find_sources([tmp_path / s for s in sources])
    assert str(error.value) == message.format(tmp=tmp_path)


# ---------------------------------------------------------------------------------- ids


def test_corpus_ids_are_file_stems_sorted(tmp_path):
    write(tmp_path / "002_ccc.txt", BODY_1)
    write(tmp_path / "000_b1b128fd6a01121b.txt", BODY_2)
    write(tmp_path / "001_aaa.md", BODY_3)
    corpus = read_corpus([tmp_path])
    assert [a.id for a in corpus.articles] == ["000_b1b128fd6a01121b", "001_aaa", "002_ccc"]
    assert [a.files for a in corpus.articles] == [
        ("000_b1b128fd6a01121b.txt",), ("001_aaa.md",), ("002_ccc.txt",),
    ]
    assert corpus.warnings == ()


def test_corpus_same_stem_in_two_folders_gets_a_suffix(tmp_path):
    write(tmp_path / "x" / "art.txt", BODY_1)
    write(tmp_path / "y" / "art.txt", BODY_2)
    write(tmp_path / "z" / "art-2.txt", BODY_3)  # the natural "-2" is taken: the clash gets "-3"
    corpus = read_corpus([tmp_path])
    assert {a.id: a.text for a in corpus.articles} == {"art": BODY_1, "art-2": BODY_3, "art-3": BODY_2}
    assert corpus.warnings == (
        f"{tmp_path}/y/art.txt: id 'art' is already taken by {tmp_path}/x/art.txt"
        " — this article gets id 'art-3'",
    )


def test_corpus_ids_do_not_depend_on_source_order(tmp_path):
    write(tmp_path / "x" / "art.txt", BODY_1)
    write(tmp_path / "y" / "art.txt", BODY_2)
    forward = read_corpus([tmp_path / "x", tmp_path / "y"])
    backward = read_corpus([tmp_path / "y", tmp_path / "x"])
    assert forward == backward


def test_corpus_same_text_twice_is_one_article_with_both_files(tmp_path):
    write(tmp_path / "b" / "010_copie.txt", f"{BODY_1}\n{BODY_2}\n")
    write(tmp_path / "a" / "003_original.txt", f"{BODY_1}\n{BODY_2}\n")
    write(tmp_path / "005_autre.txt", BODY_3)
    corpus = read_corpus([tmp_path])
    assert [(a.id, a.files) for a in corpus.articles] == [
        ("003_original", ("003_original.txt", "010_copie.txt")),
        ("005_autre", ("005_autre.txt",)),
    ]
    assert corpus.warnings == (
        f"{tmp_path}/b/010_copie.txt: same text as {tmp_path}/a/003_original.txt"
        " — kept once, as article '003_original'",
    )


# ---------------------------------------------------------------------------------- segments

SEGMENT_CASES = [
    # a one-line article is body even without final punctuation
    ("La Russie et la Chine signent un accord", [("body", "La Russie et la Chine signent un accord")]),
    # a short title-like line between paragraphs is a heading
    (
        f"{BODY_1}\nLa Russie et la Chine signent un accord\n{BODY_2}",
        [("body", BODY_1), ("heading", "La Russie et la Chine signent un accord"), ("body", BODY_2)],
    ),
    # long (> 12 words) without final period: body
    (
        f"{BODY_1}\nLes deux pays ont aussi évoqué la coopération spatiale et la construction d'un pont routier\n{BODY_2}",
        [
            ("body", BODY_1),
            ("body", "Les deux pays ont aussi évoqué la coopération spatiale et la construction d'un pont routier"),
            ("body", BODY_2),
        ],
    ),
    # the first line may be a longer title
    (
        f"La Corée du Nord et la Russie resserrent leurs liens militaires face aux sanctions occidentales\n\n{BODY_1}",
        [
            ("heading", "La Corée du Nord et la Russie resserrent leurs liens militaires face aux sanctions occidentales"),
            ("body", BODY_1),
        ],
    ),
    # a short question between paragraphs is a heading; a line ending with ":" is body
    (
        f"{BODY_1}\nQuel rôle pour la Chine ?\nLe porte-parole a déclaré :\n« Nous suivons la situation de près. »",
        [
            ("body", BODY_1),
            ("heading", "Quel rôle pour la Chine ?"),
            ("body", "Le porte-parole a déclaré :"),
            ("body", "« Nous suivons la situation de près. »"),
        ],
    ),
    # a quotation used as a sub-title is a heading; the same with its final period is body
    (
        f"{BODY_1}\n« Une amitié indestructible »\n{BODY_2}\n« Une amitié indestructible. »\n{BODY_3}",
        [
            ("body", BODY_1),
            ("heading", "« Une amitié indestructible »"),
            ("body", BODY_2),
            ("body", "« Une amitié indestructible. »"),
            ("body", BODY_3),
        ],
    ),
    # hard-wrapped text: a line continued by a lower-case line is body, so is the continuation
    (
        "Le ministre a rencontré son homologue\nà Pyongyang samedi matin.\nLa réunion a duré deux heures.",
        [
            ("body", "Le ministre a rencontré son homologue"),
            ("body", "à Pyongyang samedi matin."),
            ("body", "La réunion a duré deux heures."),
        ],
    ),
    # a line that follows an unfinished (long) line is its continuation, not a heading
    (
        f"{BODY_1}\nLes deux dirigeants ont également parlé de la situation dans la péninsule et des sanctions\n"
        f"La Russie fournira du pétrole\n{BODY_2}",
        [
            ("body", BODY_1),
            ("body", "Les deux dirigeants ont également parlé de la situation dans la péninsule et des sanctions"),
            ("body", "La Russie fournira du pétrole"),
            ("body", BODY_2),
        ],
    ),
    # comment forms, share and read-more lines, credits, dates, separators
    (
        "\n".join([
            "Sommaire", BODY_1, "À lire aussi : Séoul convoque l’ambassadeur russe", "Partager sur Facebook",
            "Publicité", BODY_2, "* * *", "Publié le 13 juillet 2025 à 10h32", "Par Jean Dupont",
            "Crédit photo : Agence Exemple", "© 2025 Le Quotidien du Test. Tous droits réservés.",
            "Laisser un commentaire",
            "Votre adresse e-mail ne sera pas publiée. Les champs obligatoires sont indiqués avec *",
        ]),
        [
            ("boilerplate", "Sommaire"), ("body", BODY_1),
            ("boilerplate", "À lire aussi : Séoul convoque l’ambassadeur russe"),
            ("boilerplate", "Partager sur Facebook"), ("boilerplate", "Publicité"), ("body", BODY_2),
            ("boilerplate", "* * *"), ("boilerplate", "Publié le 13 juillet 2025 à 10h32"),
            ("boilerplate", "Par Jean Dupont"), ("boilerplate", "Crédit photo : Agence Exemple"),
            ("boilerplate", "© 2025 Le Quotidien du Test. Tous droits réservés."),
            ("boilerplate", "Laisser un commentaire"),
            ("boilerplate", "Votre adresse e-mail ne sera pas publiée. Les champs obligatoires sont indiqués avec *"),
        ],
    ),
    # matching ignores case and accents; sentences that merely start like furniture stay body
    (
        f"LIRE AUSSI: la visite de Lavrov\nPARTAGER\n{BODY_1}\nPartager le fardeau de la guerre est devenu une priorité pour Moscou.\n"
        "Par ailleurs, Séoul a convoqué l'ambassadeur.",
        [
            ("boilerplate", "LIRE AUSSI: la visite de Lavrov"), ("boilerplate", "PARTAGER"), ("body", BODY_1),
            ("body", "Partager le fardeau de la guerre est devenu une priorité pour Moscou."),
            ("body", "Par ailleurs, Séoul a convoqué l'ambassadeur."),
        ],
    ),
    # a site's name as the last line is boilerplate; a sentence-like last line is body
    (f"{BODY_1}\n{BODY_2}\nLe Courrier de Test", [("body", BODY_1), ("body", BODY_2), ("boilerplate", "Le Courrier de Test")]),
    (f"{BODY_1}\nLa Russie et la Chine signent un accord", [("body", BODY_1), ("body", "La Russie et la Chine signent un accord")]),
    # Markdown headings and list items: the markers are left out of the segment
    (
        f"# Un accord historique\n\n{BODY_1}\n\n## Les détails du texte\n- La Russie livrera des avions\n- Cinq usines seront construites",
        [
            ("heading", "Un accord historique"), ("body", BODY_1), ("heading", "Les détails du texte"),
            ("body", "La Russie livrera des avions"), ("body", "Cinq usines seront construites"),
        ],
    ),
]


@pytest.mark.parametrize("text, expected", SEGMENT_CASES)
def test_corpus_segment_classifies_lines(text, expected):
    assert kinds(text) == expected


def test_corpus_segment_offsets_skip_whitespace_and_carriage_returns():
    text = "  Titre du jour  \r\n\r\n\tLe ministre est arrivé.\u00a0\r\nIl repart demain.\r\n"
    assert segment(text) == (
        Segment(2, 15, "heading"),
        Segment(22, 45, "body"),
        Segment(48, 65, "body"),
    )


def test_corpus_segment_starts_at_offset():
    text = f"{BODY_1}\n{BODY_2}"
    start = len(BODY_1) + 1
    assert segment(text, start) == (Segment(start, len(text), "body"),)


def test_corpus_segment_front_matter_lines_are_metadata():
    text = f"---\ntitle: Essai\n---\n{BODY_1}"
    assert kinds(text) == [("metadata", "---"), ("metadata", "title: Essai"), ("metadata", "---"), ("body", BODY_1)]


# ---------------------------------------------------------------------------------- metadata

FRONT_MATTER = """---
title: Lavrov à Wonsan
date: 2025-07-13
source: "Exemple Presse"
url: https://example.org/a
---
"""


def test_corpus_front_matter_fills_metadata_and_stays_in_text(tmp_path):
    path = write(tmp_path / "a.txt", FRONT_MATTER + f"{BODY_1}\n{BODY_2}\n")
    article, warnings = read_article(path)
    assert warnings == []
    assert (article.title, article.date, article.source, article.url) == (
        "Lavrov à Wonsan", date(2025, 7, 13), "Exemple Presse", "https://example.org/a",
    )
    assert article.text == path.read_text(encoding="utf-8")
    assert [s.kind for s in article.segments] == ["metadata"] * 6 + ["body", "body"]
    assert [article.text[s.start : s.end] for s in article.body()] == [BODY_1, BODY_2]


def test_corpus_front_matter_keeps_date_part_of_a_timestamp(tmp_path):
    path = write(tmp_path / "a.md", f"---\ndate: 2024-06-19T08:30:00+09:00\n---\n{BODY_1}\n")
    article, warnings = read_article(path)
    assert (article.date, warnings) == (date(2024, 6, 19), [])


def test_corpus_front_matter_malformed_lines_are_named_and_ignored(tmp_path):
    text = f"---\ntitle: Bon titre\nceci n'est pas un champ\ndate: 13/07/2025\nauteur: Marie\nurl: pas une adresse\n---\n{BODY_1}\n"
    path = write(tmp_path / "a.txt", text)
    article, warnings = read_article(path)
    assert (article.title, article.date, article.url) == ("Bon titre", None, None)
    assert warnings == [
        f"{path}: front matter line 3 \"ceci n'est pas un champ\" is not 'key: value' — ignored",
        f"{path}: front matter line 4: date '13/07/2025' is not a date YYYY-MM-DD — ignored",
        f"{path}: front matter line 5: unknown key 'auteur' — ignored (known: title, date, source, url)",
        f"{path}: front matter line 6: url 'pas une adresse' is not an absolute URL — ignored",
    ]
    assert [article.text[s.start : s.end] for s in article.body()] == [BODY_1]


def test_corpus_front_matter_ignores_an_unknown_key_with_its_indented_value(tmp_path):
    text = f"---\ntags:\n  - russie\n  - corée\ntitle: Titre\n---\n{BODY_1}\n"
    path = write(tmp_path / "a.md", text)
    article, warnings = read_article(path)
    assert article.title == "Titre"
    assert warnings == [
        f"{path}: front matter line 2: unknown key 'tags' — ignored (known: title, date, source, url)"
    ]


def test_corpus_front_matter_without_closing_fence_is_plain_text(tmp_path):
    path = write(tmp_path / "a.txt", f"---\ntitle: Titre perdu\n{BODY_1}\n{BODY_2}\n")
    article, warnings = read_article(path)
    assert warnings == [
        f"{path}: front matter opened on line 1 is not closed by '---' within 40 lines — read as plain text"
    ]
    assert article.title is None
    assert [s.kind for s in article.segments] == ["boilerplate", "body", "body", "body"]


def test_corpus_sidecar_metadata_and_precedence(tmp_path):
    write(tmp_path / "a.meta.json", json.dumps({
        "title": "Titre du fichier annexe", "date": "2024-09-01", "source": "Annexe",
        "url": "https://example.org/annexe", "lang": "fr",
    }))
    path = write(tmp_path / "a.txt", f"---\ntitle: Titre en tête\n---\n{BODY_1}\n")
    article, warnings = read_article(path)
    assert (article.title, article.date, article.source, article.url) == (
        "Titre en tête", date(2024, 9, 1), "Annexe", "https://example.org/annexe",
    )
    assert warnings == [
        f"{tmp_path}/a.meta.json: unknown key 'lang' — ignored (known: title, date, source, url)"
    ]
    corpus = read_corpus([tmp_path])
    assert [a.id for a in corpus.articles] == ["a"]


@pytest.mark.parametrize(
    "content, warning",
    [
        ("{pas du json", "cannot read the metadata (not JSON in UTF-8: Expecting property name enclosed in"
                         " double quotes: line 1 column 2 (char 1)) — ignored"),
        ("[1, 2]", "metadata must be a JSON object with keys title, date, source, url — ignored"),
        ('{"date": 20240901}', "date must be a string, not 20240901 — ignored"),
        ('{"date": "hier"}', "date 'hier' is not a date YYYY-MM-DD — ignored"),
    ],
)
def test_corpus_sidecar_problems_are_warnings(tmp_path, content, warning):
    write(tmp_path / "a.meta.json", content)
    path = write(tmp_path / "a.txt", BODY_1)
    article, warnings = read_article(path)
    assert article is not None and article.date is None
    assert warnings == [f"{tmp_path}/a.meta.json: {warning}"]


def test_corpus_title_is_first_line_when_heading(tmp_path):
    titled = write(tmp_path / "a.txt", f"Sommaire\nUn accord historique à Pyongyang\n\n{BODY_1}\n")
    untitled = write(tmp_path / "b.txt", f"{BODY_1}\nUne visite éclair\n{BODY_2}\n")
    assert read_article(titled)[0].title == "Un accord historique à Pyongyang"
    assert read_article(untitled)[0].title is None


def test_corpus_date_from_published_line_when_no_metadata(tmp_path):
    path = write(tmp_path / "a.txt", f"Mis à jour le 2 août 2025\nPublié le 1er août 2025 à 18h05\n{BODY_1}\n")
    assert read_article(path)[0].date == date(2025, 8, 1)
    dated = write(tmp_path / "b.txt", f"---\ndate: 2025-07-30\n---\nPublié le 01/08/2025\n{BODY_1}\n")
    assert read_article(dated)[0].date == date(2025, 7, 30)


# ---------------------------------------------------------------------------------- HTML

HTML_PAGE = """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8">
<title>Accord signé à Pyongyang | Le Journal du Test</title>
<meta property="og:title" content="Accord signé à Pyongyang">
<meta property="og:site_name" content="Le Journal du Test">
<meta property="og:url" content="https://exemple.org/monde/accord">
<meta property="article:published_time" content="2024-06-19T10:00:00+02:00">
<script>var secret = "texte du script";</script>
<style>body { color: red }</style>
</head><body>
<nav><a href="/">Accueil</a> <a href="/monde">Monde</a></nav>
<article>
<h1>Accord signé à Pyongyang</h1>
<p>Le président russe et le dirigeant nord-coréen ont signé mercredi un accord de partenariat
stratégique lors d'une rencontre à Pyongyang.</p>
<h2>Une alliance militaire</h2>
<p>Selon le texte publié par l'agence officielle, les deux pays s'engagent à se prêter une
assistance mutuelle en cas d'agression contre l'un d'eux.</p>
<p>Les analystes estiment que cette alliance renforce la position de Moscou dans la guerre
qu'elle mène en Ukraine. Le <b>texte</b> prévoit aussi une coopération &lt;i&gt;technique&lt;/i&gt;.</p>
<script>document.write("injection du script")</script>
</article>
<footer>© 2024 Le Journal du Test. Tous droits réservés.</footer>
</body></html>
"""


def test_corpus_html_main_text_and_metadata(tmp_path):
    path = write(tmp_path / "page.html", HTML_PAGE)
    article, warnings = read_article(path)
    assert warnings == []
    assert (article.id, article.title, article.date, article.source, article.url) == (
        "page", "Accord signé à Pyongyang", date(2024, 6, 19), "Le Journal du Test",
        "https://exemple.org/monde/accord",
    )
    assert "<" not in article.text and ">" not in article.text
    assert "script" not in article.text and "secret" not in article.text and "color" not in article.text
    assert "Tous droits réservés" not in article.text
    body = [article.text[s.start : s.end] for s in article.body()]
    assert body[0].startswith("Le président russe et le dirigeant nord-coréen ont signé mercredi")
    assert body[-1].endswith("prévoit aussi une coopération technique.")
    assert ("heading", "Une alliance militaire") in [(s.kind, article.text[s.start : s.end]) for s in article.segments]


def test_corpus_html_without_text_is_skipped(tmp_path):
    path = write(tmp_path / "vide.htm", "<html><head><title>Rien</title></head><body><script>x = 1</script></body></html>")
    assert read_article(path) == (None, [f"{path}: no article text found in the HTML, skipped"])


def test_corpus_html_with_only_page_furniture_is_skipped(tmp_path):
    path = write(tmp_path / "menu.html", "<html><body><nav>Menu</nav><p>Partager</p></body></html>")
    assert read_article(path) == (
        None, [f"{path}: no article text, only page furniture (see kg/data/boilerplate.toml), skipped"]
    )


# ---------------------------------------------------------------------------------- offsets


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("bom", ["", "\ufeff"])
def test_corpus_offsets_index_the_file_as_utf8(tmp_path, newline, bom):
    lines = ["Un accord historique", "", BODY_1, "  " + BODY_2 + "  ", "Publié le 3 mars 2024", BODY_3]
    path = write(tmp_path / "a.txt", bom + newline.join(lines) + newline)
    article, warnings = read_article(path)
    assert warnings == []
    raw = path.read_bytes().decode("utf-8")
    with open(path, encoding="utf-8", newline="") as handle:
        assert article.text == raw == handle.read()
    assert [article.text[s.start : s.end] for s in article.body()] == [BODY_1, BODY_2, BODY_3]
    for s in article.segments:
        assert raw[s.start : s.end] == article.text[s.start : s.end]
    assert article.title == "Un accord historique"
    assert article.date == date(2024, 3, 3)


FURNITURE = [
    "Laissez un commentaire", "12 commentaires", "A LIRE AUSSI >> Kim reçoit Lavrov", "Partager sur X",
    "Abonnez-vous à notre newsletter", "Crédits photos : Reuters", "Tous droits réservés",
    "Ce site utilise des cookies pour améliorer votre expérience.", "Suivez-nous sur Twitter",
    "Par Marie-Claire Durand et Paul Martin", "Par Jean Dupont, envoyé spécial à Séoul",
    "Mis à jour le 14 juillet 2025 à 08h12", "Publié le 13/07/2025 à 10:32", "(AFP)", "Avec AFP",
    "Source : Agence Exemple", "Temps de lecture : 3 min", "Accueil > Monde > Asie",
    "https://example.org/article", "Sur le même sujet", "Article réservé aux abonnés", "Tout accepter",
    "Propos recueillis par Jean Dupont",
]
NOT_FURNITURE = [
    "Accueil chaleureux pour le ministre à Wonsan", "Publicité mensongère selon Séoul",
    "Sources proches du Kremlin : l'accord serait signé en juin.", "Commentaires du ministre après la rencontre",
    "Par ailleurs, Pyongyang a envoyé des troupes.", "Annonce d'un nouvel accord militaire",
    "Suivant les accords signés, la Russie livrera du pétrole.", "Lire entre les lignes du traité",
    "Le 19 juin 2024, les deux dirigeants ont signé un traité.", "Répondre aux sanctions occidentales",
]


@pytest.mark.parametrize("line", FURNITURE)
def test_corpus_segment_furniture_is_boilerplate(line):
    assert kinds(f"{BODY_1}\n{line}\n{BODY_2}")[1] == ("boilerplate", line)


@pytest.mark.parametrize("line", NOT_FURNITURE)
def test_corpus_segment_sentences_like_furniture_are_kept(line):
    kind, text = kinds(f"{BODY_1}\n{line}\n{BODY_2}")[1]
    assert (kind in ("body", "heading"), text) == (True, line)
