"""kg.corpus on bad input: every case gives one exact warning (file skipped or read) or one error."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg.corpus import read_article, read_corpus
from kg.errors import InputError

FRENCH = (
    "Le ministre russe des Affaires étrangères est arrivé samedi à Pyongyang pour une visite de deux jours. "
    "Il doit rencontrer le dirigeant nord-coréen et signer un accord de coopération avec son homologue."
)
ACCENTED = "Élève à l’école : « œuvre » — déjà été reçu, Noël, maïs, où, ça, garçon."


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# ---------------------------------------------------------------------------------- skipped


@pytest.mark.parametrize(
    "name, content, what",
    [
        ("vide.txt", b"", "empty article, skipped"),
        ("blanc.txt", b"  \n\t\r\n \xc2\xa0\n", "empty article, skipped"),
        ("bom.txt", b"\xef\xbb\xbf\r\n", "empty article, skipped"),
        ("seul.md", b"---\ntitle: Rien d'autre\n---\n", "empty article, skipped"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "binary file, skipped"),
        ("bruit.txt", bytes(range(128, 256)) * 40, "binary file, skipped"),
        ("meubles.txt", "Partager\nPublicité\nLaisser un commentaire\n",
         "no article text, only page furniture (see kg/data/boilerplate.toml), skipped"),
    ],
)
def test_corpus_robust_skipped_content(tmp_path, name, content, what):
    path = write(tmp_path / name, content)
    assert read_article(path) == (None, [f"{path}: {what}"])


def test_corpus_robust_large_file_is_skipped_with_its_size(tmp_path):
    path = tmp_path / "enorme.txt"
    with open(path, "wb") as handle:  # sparse: no 20 MB written to disk
        handle.truncate(20 * 1024 * 1024)
    assert read_article(path) == (
        None,
        [f"{path}: too large (20.0 MiB, limit 5.0 MiB), skipped — raise the size limit (max_bytes) to read it"],
    )


def test_corpus_robust_size_limit_is_configurable(tmp_path):
    path = write(tmp_path / "a.txt", FRENCH)
    assert read_article(path, max_bytes=100) == (
        None, [f"{path}: too large (0.0 MiB, limit 0.0 MiB), skipped — raise the size limit (max_bytes) to read it"]
    )
    assert read_article(path, max_bytes=len(FRENCH.encode()))[0] is not None
    corpus = read_corpus([path], max_bytes=10 * 1024 * 1024)
    assert [a.id for a in corpus.articles] == ["a"]


def test_corpus_robust_broken_symlink(tmp_path):
    path = tmp_path / "lien.txt"
    path.symlink_to(tmp_path / "absent.txt")
    assert read_article(path) == (None, [f"{path}: cannot read (broken symlink), skipped"])


def test_corpus_robust_directory_named_like_a_file(tmp_path):
    path = tmp_path / "dossier.txt"
    path.mkdir()
    assert read_article(path) == (None, [f"{path}: cannot read (is a directory), skipped"])


def test_corpus_robust_fifo_is_not_read(tmp_path):
    path = tmp_path / "tube.txt"
    os.mkfifo(path)
    assert read_article(path) == (None, [f"{path}: cannot read (not a regular file), skipped"])


def test_corpus_robust_permission_denied(tmp_path, monkeypatch):
    path = write(tmp_path / "secret.txt", FRENCH)
    original = Path.read_bytes

    def refuse(self):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert read_article(path) == (None, [f"{path}: cannot read (permission denied), skipped"])


def test_corpus_robust_sidecar_is_not_an_article(tmp_path):
    path = write(tmp_path / "a.meta.json", '{"title": "x"}')
    assert read_article(path) == (None, [f"{path}: metadata sidecar, not an article, skipped"])


def test_corpus_robust_html_extractor_failure_is_a_warning(tmp_path, monkeypatch):
    import trafilatura

    def explode(*args, **kwargs):
        raise RuntimeError("parser crashed")

    monkeypatch.setattr(trafilatura, "bare_extraction", explode)
    path = write(tmp_path / "page.html", f"<html><body><p>{FRENCH}</p></body></html>")
    assert read_article(path) == (None, [f"{path}: cannot extract text from the HTML (RuntimeError), skipped"])


# ---------------------------------------------------------------------------------- errors


def test_corpus_robust_missing_path(tmp_path):
    with pytest.raises(InputError, match=r"^source not found: .*/absent$"):
        read_corpus([tmp_path / "absent"])


def test_corpus_robust_folder_without_articles(tmp_path):
    write(tmp_path / "notes.csv", "a,b\n")
    write(tmp_path / ".cache" / "cache.txt", FRENCH)
    with pytest.raises(InputError) as error:
        read_corpus([tmp_path])
    assert str(error.value) == f"no articles (.txt, .md, .html) in {tmp_path}"


def test_corpus_robust_no_readable_article(tmp_path):
    write(tmp_path / "a.txt", "")
    write(tmp_path / "b.txt", b"\x00\x01\x02")
    with pytest.raises(InputError) as error:
        read_corpus([tmp_path])
    assert str(error.value) == f"no readable article in {tmp_path}: {tmp_path}/a.txt: empty article, skipped"


def test_corpus_robust_good_and_bad_files_together(tmp_path):
    write(tmp_path / "1_bon.txt", FRENCH)
    write(tmp_path / "2_vide.txt", "")
    write(tmp_path / "3_binaire.txt", bytes(64))
    (tmp_path / "4_dossier.txt").mkdir()  # a folder: searched, holds nothing
    corpus = read_corpus([tmp_path])
    assert [a.id for a in corpus.articles] == ["1_bon"]
    assert corpus.warnings == (
        f"{tmp_path}/2_vide.txt: empty article, skipped",
        f"{tmp_path}/3_binaire.txt: binary file, skipped",
    )


# ---------------------------------------------------------------------------------- read, with a warning


def test_corpus_robust_same_article_three_times(tmp_path):
    for name in ("c.txt", "a.txt", "sub/b.md"):
        write(tmp_path / name, FRENCH)
    corpus = read_corpus([tmp_path])
    assert [(a.id, a.files) for a in corpus.articles] == [("a", ("a.txt", "b.md", "c.txt"))]
    assert corpus.warnings == (
        f"{tmp_path}/c.txt: same text as {tmp_path}/a.txt — kept once, as article 'a'",
        f"{tmp_path}/sub/b.md: same text as {tmp_path}/a.txt — kept once, as article 'a'",
    )


def test_corpus_robust_non_french_article_is_kept(tmp_path):
    english = (
        "The Russian foreign minister arrived in Pyongyang on Saturday for a two-day visit. "
        "He is expected to meet the North Korean leader and to sign a cooperation agreement."
    )
    path = write(tmp_path / "en.txt", english)
    article, warnings = read_article(path)
    assert article.text == english
    assert warnings == [f"{path}: does not look like French (kg reads French articles); read anyway"]
    assert read_article(write(tmp_path / "fr.txt", FRENCH))[1] == []
    assert read_article(write(tmp_path / "court.txt", "Hello world"))[1] == []  # too short to tell


def test_corpus_robust_malformed_front_matter_still_reads_the_article(tmp_path):
    path = write(tmp_path / "a.md", f"---\ntitle:\n: sans clé\ndate: 2025-02-30\n---\n{FRENCH}\n")
    article, warnings = read_article(path)
    assert (article.title, article.date) == (None, None)
    assert article.text[article.body()[0].start : article.body()[0].end] == FRENCH
    assert warnings == [
        f"{path}: front matter line 2: title is empty — ignored",
        f"{path}: front matter line 3 ': sans clé' is not 'key: value' — ignored",
        f"{path}: front matter line 4: date '2025-02-30' is not a date YYYY-MM-DD — ignored",
    ]


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_corpus_robust_windows_encodings_are_decoded(tmp_path, encoding):
    text = f"{FRENCH}\nLe garçon a reçu un élève à Noël, déjà très âgé.\n"
    if encoding == "cp1252":
        text += f"{ACCENTED}\n"
    path = write(tmp_path / "a.txt", text.encode(encoding))
    article, warnings = read_article(path)
    assert article.text == text
    assert warnings == [f"{path}: decoded as cp1252"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_corpus_robust_utf16_and_utf32(tmp_path, encoding):
    text = f"{FRENCH}\r\n{ACCENTED}\r\n"
    data = text.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):
        data = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}[encoding] + data
    path = write(tmp_path / "a.txt", data)
    article, warnings = read_article(path)
    assert article.text == text
    assert warnings == [f"{path}: decoded as {'utf-32' if encoding == 'utf-32' else 'utf-16'}"]
    assert [article.text[s.start : s.end] for s in article.body()] == [FRENCH, ACCENTED]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_corpus_robust_utf16_without_bom(tmp_path, encoding):
    path = write(tmp_path / "a.txt", FRENCH.encode(encoding))
    assert read_article(path)[0].text == FRENCH
    assert read_article(path)[1] == [f"{path}: decoded as {encoding}"]


def test_corpus_robust_utf8_with_a_stray_latin1_byte(tmp_path):
    path = write(tmp_path / "a.txt", FRENCH.encode("utf-8") + " Fin de l'été".encode("latin-1"))
    article, warnings = read_article(path)
    assert article.text == FRENCH + " Fin de l'été"
    assert warnings == [f"{path}: decoded as utf-8 with some cp1252 bytes"]


def test_corpus_robust_cyrillic_legacy_encoding(tmp_path):
    text = "Министр иностранных дел России прибыл в Пхеньян для переговоров с руководством страны. " * 3
    path = write(tmp_path / "ru.txt", text.encode("cp1251"))
    article, warnings = read_article(path)
    assert article.text == text
    assert warnings == [
        f"{path}: decoded as cp1251",
        f"{path}: does not look like French (kg reads French articles); read anyway",
    ]


def test_corpus_robust_bom_and_crlf_offsets(tmp_path):
    text = "\ufeffUne visite éclair\r\n\r\n" + FRENCH + "\r\n« Soutien total »\r\n" + ACCENTED + "\r\n"
    path = write(tmp_path / "a.txt", text)
    corpus = read_corpus([tmp_path])
    (article,) = corpus.articles
    raw = path.read_bytes().decode("utf-8")
    assert article.text == raw
    assert [(s.kind, raw[s.start : s.end]) for s in article.segments] == [
        ("heading", "Une visite éclair"), ("body", FRENCH), ("heading", "« Soutien total »"), ("body", ACCENTED),
    ]
    assert article.title == "Une visite éclair"
