"""Finding and reading articles: stable ids, metadata, and the clean-up of headings and boilerplate.

Sources
    `find_sources` takes files and folders. Folders are searched recursively for
    `ARTICLE_SUFFIXES` files; hidden files and folders (name starting with ".") are skipped and
    symlinked folders are not followed (no cycles). A file named explicitly is read whatever its
    suffix (as text, or as HTML for .html/.htm). Metadata sidecars (`*.meta.json`) are never
    articles.

Stored text and offsets
    `Article.text` is exactly the text that every offset (segments, evidence) indexes into.
    - UTF-8 .txt/.md (and any other text file): the file's bytes decoded as UTF-8, nothing else:
      no newline translation ("\\r\\n" stays), a UTF-8 BOM stays as U+FEFF at index 0. So
      `path.read_bytes().decode("utf-8")[start:end]` is the evidence text, as is
      `open(path, encoding="utf-8", newline="").read()[start:end]`.
    - Other encodings are decoded and a warning says so ("<path>: decoded as cp1252"); kg then
      stores and exports the decoded text, and offsets index that. UTF-16/32 are recognised by
      their BOM (and UTF-16 without BOM by its NUL pattern). Otherwise, since kg reads French,
      cp1252 (a superset of Latin-1) is taken when it decodes to French-looking characters;
      failing that charset-normalizer decides. A UTF-8 file with a few stray cp1252 bytes keeps
      its UTF-8 and gets the stray bytes decoded as cp1252.
    - HTML (.html, .htm): the main text extracted by trafilatura (precision mode, no comments,
      no tables, no markup). Offsets index this extracted text, which kg stores and exports.

Metadata
    Optional front matter, at the very top of a text file (after a BOM, if any)::

        ---
        title: Lavrov à Wonsan
        date: 2025-07-13
        source: Exemple Presse
        url: https://example.org/a
        ---

    Keys are title, date, source and url; other keys are ignored with a warning. `date` is ISO
    `YYYY-MM-DD`; `YYYY-MM-DDTHH:MM...` is accepted and its date part kept. Values may be quoted.
    Blank lines and `#` comment lines inside are ignored. The block stays in `Article.text`
    (offsets are into the whole file) but its lines are `metadata` segments, never read for
    facts. A malformed line or an invalid value is ignored with a warning naming the line; a
    block not closed by `---` within FRONT_MATTER_MAX_LINES lines is read as plain text.
    A sidecar `<stem>.meta.json` next to the article (a JSON object with the same keys) is read
    too. Precedence, key by key: front matter, sidecar, the HTML page's own metadata; the date
    may finally come from a "Publié le 13 juillet 2025" line.
    Title: the metadata title, else the first line of the text when it is a heading.

Segments
    `segment` cuts the text at line breaks (any of those `str.splitlines` knows); each
    non-empty line, trimmed of whitespace and invisible characters, is one Segment:
    - metadata: the lines of the front matter;
    - boilerplate: lines matching `kg/data/boilerplate.toml` (comment forms, share and
      read-more links, credits, cookie notices, bylines, publication dates...), lines without
      any letter or digit (separators), and a short name-like last line (a site's name);
    - heading: a Markdown `#` heading, or a short title-like line: at most
      HEADING_MAX_WORDS words (FIRST_LINE_MAX_WORDS for the article's first line), starting
      with a capital, not ending with sentence punctuation (. ! … : ; , or a dash; closing
      quotes are looked through, so a quotation used as a sub-title is a heading), not the
      last line, not the continuation of an unfinished line, and not followed by a line
      starting in lower case (hard-wrapped text). A short question between paragraphs is a
      heading too;
    - body: everything else, including list items (their marker is left out of the segment).

Skipped, with one warning each ("<path>: ..., skipped")
    a file over `max_bytes` (MAX_BYTES by default), one that cannot be read (permission, a
    folder or FIFO named like a file, a broken symlink), a binary file (NUL bytes in the first
    SNIFF_BYTES not explained by UTF-16, or no encoding fits), an empty or whitespace-only
    file, an HTML page without main text, and a text holding only metadata and page furniture.
    Identical texts under several names become one article listing every file name; two
    different articles with the same file stem get `-2`, `-3`... in sorted path order.

Language
    Articles are expected in French. When fewer than FRENCH_MIN_SHARE of the words of an article
    (of at least FRENCH_MIN_WORDS words) are common French function words, a warning says so;
    the article is read anyway.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import re
import stat
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

from kg.errors import InputError, KgError
from kg.model import Article, Segment

MAX_BYTES = 5 * 1024 * 1024  # larger articles are skipped with a warning; read_* take max_bytes=
ARTICLE_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
HTML_SUFFIXES = (".html", ".htm")
SIDECAR_SUFFIX = ".meta.json"
METADATA_KEYS = ("title", "date", "source", "url")

HEADING_MAX_WORDS = 12
FIRST_LINE_MAX_WORDS = 20  # an article's first line is its title more often than not
FRONT_MATTER_MAX_LINES = 40
BOILERPLATE_MAX_CHARS = 200  # longer lines are only checked for boilerplate openings (prefixes)
SITE_NAME_MAX_WORDS = 6
FRENCH_MIN_WORDS = 20
FRENCH_MIN_SHARE = 0.2  # French news: 0.35-0.40 of its words; Spanish ~0.13, English ~0
FRENCH_SAMPLE_CHARS = 6000  # about a thousand words
FRENCH_FUNCTION_WORDS = frozenset(
    "le la les de des du et est une un que qui dans pour pas au aux sur avec son sa ses "
    "à l d il ne ce qu par plus ont été cette".split()
)
SNIFF_BYTES = 8192


@dataclass(frozen=True)
class Corpus:
    """The articles read from the sources, and what was noticed on the way."""

    articles: tuple[Article, ...]  # sorted by id
    warnings: tuple[str, ...]  # "<path>: <what> — <what was done / what to do>", one line each


# ---------------------------------------------------------------------------------- sources


def find_sources(sources: Sequence[Path]) -> list[Path]:
    """The article files named by `sources` (files, or folders searched recursively), sorted."""
    if not sources:
        raise InputError("no source given: name article files or folders")
    found: set[Path] = set()
    for source in map(Path, sources):
        if source.is_dir():
            files = _walk(source)
            if not files:
                raise InputError(f"no articles (.txt, .md, .html) in {source}")
            found.update(files)
        elif source.exists() or source.is_symlink():  # a broken symlink is reported when read
            if not source.name.endswith(SIDECAR_SUFFIX):
                found.add(source)
        else:
            raise InputError(f"source not found: {source}")
    if not found:
        raise InputError(f"no articles (.txt, .md, .html) in {_list(sources)}")
    return sorted(found)


def _walk(folder: Path) -> list[Path]:
    files = []
    for directory, subdirectories, names in os.walk(folder):
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith("."))
        for name in sorted(names):
            if not name.startswith(".") and name.lower().endswith(ARTICLE_SUFFIXES):
                files.append(Path(directory, name))
    return files


def _list(sources: Iterable[Path]) -> str:
    return ", ".join(str(s) for s in sources)


# ---------------------------------------------------------------------------------- corpus


def read_corpus(sources: Sequence[Path], *, max_bytes: int = MAX_BYTES) -> Corpus:
    """Every readable article under `sources`, duplicates merged, ids made unique."""
    paths = find_sources(sources)
    return assemble_corpus([(p, *read_article(p, max_bytes=max_bytes)) for p in paths], sources)


def assemble_corpus(
    results: Sequence[tuple[Path, Article | None, Sequence[str]]], sources: Sequence[Path]
) -> Corpus:
    """The Corpus from `read_article` results, in any order (so reading can run in parallel)."""
    results = sorted(results, key=lambda r: r[0])
    warnings = [w for _, _, ws in results for w in ws]
    read = [(path, article) for path, article, _ in results if article is not None]
    if not read:
        first = warnings[0] if warnings else "nothing to read"
        raise InputError(f"no readable article in {_list(sources)}: {first}")
    articles, merge_warnings = _merge_duplicates_and_ids(read)
    return Corpus(tuple(sorted(articles, key=lambda a: a.id)), tuple(warnings + merge_warnings))


def _merge_duplicates_and_ids(read: list[tuple[Path, Article]]) -> tuple[list[Article], list[str]]:
    """One article per distinct text (id: the smallest stem); then one distinct id per article."""
    groups: dict[str, list[tuple[Path, Article]]] = {}
    for path, article in read:
        digest = hashlib.sha256(article.text.encode("utf-8", "surrogatepass")).hexdigest()
        groups.setdefault(digest, []).append((path, article))
    kept: list[tuple[Path, Article, list[Path]]] = []
    for members in groups.values():
        members.sort(key=lambda m: (m[1].id, m[0]))
        path, article = members[0]
        files = tuple(sorted({name for _, a in members for name in a.files}))
        kept.append((path, dataclasses.replace(article, files=files), [p for p, _ in members[1:]]))
    kept.sort(key=lambda k: (k[1].id, k[0]))

    warnings: list[tuple[Path, str]] = []
    stems = {article.id for _, article, _ in kept}
    taken: dict[str, Path] = {}
    articles = []
    for path, article, duplicates in kept:
        new_id = article.id
        if new_id in taken:
            n = 2
            while f"{article.id}-{n}" in stems or f"{article.id}-{n}" in taken:
                n += 1
            new_id = f"{article.id}-{n}"
            warnings.append((path, f"{path}: id '{article.id}' is already taken by {taken[article.id]}"
                                   f" — this article gets id '{new_id}'"))
            article = dataclasses.replace(article, id=new_id)
        taken[new_id] = path
        articles.append(article)
        for duplicate in duplicates:
            warnings.append((duplicate, f"{duplicate}: same text as {path}"
                                        f" — kept once, as article '{new_id}'"))
    return articles, [w for _, w in sorted(warnings, key=lambda w: w[0])]


# ---------------------------------------------------------------------------------- one article


def read_article(path: Path, *, max_bytes: int = MAX_BYTES) -> tuple[Article | None, list[str]]:
    """(the article, warnings); the article is None when the file is skipped (see warnings)."""
    path = Path(path)
    if path.name.endswith(SIDECAR_SUFFIX):
        return None, [f"{path}: metadata sidecar, not an article, skipped"]
    data, problem = _read_bytes(path, max_bytes)
    if data is None:
        return None, [problem]
    text, encoding = _decode(data)
    if text is None:
        return None, [f"{path}: binary file, skipped"]
    warnings = [f"{path}: decoded as {encoding}"] if encoding else []

    metadata: dict[str, object] = {}
    if path.suffix.lower() in HTML_SUFFIXES:
        text, html_metadata, problem = _extract_html(text)
        if text is None:
            return None, warnings + [f"{path}: {problem}, skipped"]
        fields, field_warnings = {}, []
    else:
        html_metadata = {}
        fields, field_warnings = _parse_front_matter(text, path)
    sidecar, sidecar_warnings = _read_sidecar(path)
    warnings += field_warnings + sidecar_warnings
    for source in (html_metadata, sidecar, fields):  # later sources win
        metadata.update(source)

    segments = segment(text)
    if all(s.kind == "metadata" for s in segments):
        return None, warnings + [f"{path}: empty article, skipped"]
    if all(s.kind in ("metadata", "boilerplate") for s in segments):
        return None, warnings + [f"{path}: no article text, only page furniture (see kg/data/boilerplate.toml), skipped"]
    if "title" not in metadata:
        metadata["title"] = _title_from_segments(text, segments)
    if "date" not in metadata:
        metadata["date"] = _dateline_date(text, segments)
    if not _looks_french(text, segments):
        warnings.append(f"{path}: does not look like French (kg reads French articles); read anyway")
    article = Article(
        id=path.stem,
        files=(path.name,),
        text=text,
        segments=segments,
        title=metadata.get("title"),
        date=metadata.get("date"),
        source=metadata.get("source"),
        url=metadata.get("url"),
    )
    return article, warnings


def _read_bytes(path: Path, max_bytes: int) -> tuple[bytes | None, str]:
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            return None, f"{path}: cannot read (is a directory), skipped"
        if not stat.S_ISREG(info.st_mode):  # a FIFO or device would block or never end
            return None, f"{path}: cannot read (not a regular file), skipped"
        if info.st_size > max_bytes:
            return None, _too_large(path, info.st_size, max_bytes)
        data = path.read_bytes()
    except OSError as error:
        return None, f"{path}: cannot read ({_reason(path, error)}), skipped"
    if len(data) > max_bytes:  # grew since stat
        return None, _too_large(path, len(data), max_bytes)
    return data, ""


def _too_large(path: Path, size: int, limit: int) -> str:
    return (f"{path}: too large ({_mib(size)}, limit {_mib(limit)}), skipped"
            f" — raise the size limit (max_bytes) to read it")


def _mib(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MiB"


def _reason(path: Path, error: OSError) -> str:
    if isinstance(error, FileNotFoundError) and path.is_symlink():
        return "broken symlink"
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, IsADirectoryError):
        return "is a directory"
    reason = error.strerror or type(error).__name__
    return reason[:1].lower() + reason[1:]


# ---------------------------------------------------------------------------------- decoding

_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# Non-ASCII characters a French text in cp1252 decodes to; anything else means another encoding.
_FRENCH_LATIN = frozenset(
    "àâäæçéèêëîïôöœùûüÿÀÂÄÆÇÉÈÊËÎÏÔÖŒÙÛÜŸ«»‘’‚“”„–—…•€°·×÷§©®™²³¹¼½¾ñÑáÁíÍóÓúÚ\u00a0"
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x9f]")
_SURROGATE_ESCAPES = re.compile(r"[\udc80-\udcff]+")


def _decode(data: bytes) -> tuple[str | None, str | None]:
    """(text, encoding to warn about or None for plain UTF-8); text None for a binary file."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decode_as(data, encoding), encoding
    if b"\x00" in data[:SNIFF_BYTES]:
        encoding = _utf16_without_bom(data[:SNIFF_BYTES])
        return (_decode_as(data, encoding), encoding) if encoding else (None, None)
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    loose = data.decode("utf-8", "surrogateescape")
    stray = sum(len(m.group()) for m in _SURROGATE_ESCAPES.finditer(loose))
    if sum(1 for c in loose if c > "\x7f") - stray > stray:  # mostly UTF-8, a few stray bytes
        text = _SURROGATE_ESCAPES.sub(lambda m: _cp1252(bytes(ord(c) - 0xDC00 for c in m.group())), loose)
        return text, "utf-8 with some cp1252 bytes"
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None and _is_french_latin(text):
        return text, "cp1252"
    return _charset_normalizer(data)


def _decode_as(data: bytes, encoding: str) -> str | None:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return None if _mostly_control(text) else text


def _utf16_without_bom(head: bytes) -> str | None:
    """UTF-16 of mostly-Latin text has a NUL in every other byte (odd ones: little-endian)."""
    pairs = len(head) // 2
    if pairs < 2:
        return None
    even = head[0 : 2 * pairs : 2].count(0)
    odd = head[1 : 2 * pairs : 2].count(0)
    if odd >= 0.6 * pairs and even <= 0.05 * pairs:
        return "utf-16-le"
    if even >= 0.6 * pairs and odd <= 0.05 * pairs:
        return "utf-16-be"
    return None


def _cp1252(raw: bytes) -> str:
    return "".join(_cp1252_byte(b) for b in raw)


def _cp1252_byte(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        return chr(byte)


def _is_french_latin(text: str) -> bool:
    if _mostly_control(text):
        return False
    accented = [c for c in text if c > "\x7f"]
    return sum(c in _FRENCH_LATIN for c in accented) >= 0.9 * len(accented)


def _mostly_control(text: str) -> bool:
    return len(_CONTROL.findall(text)) > 0.05 * max(len(text), 1)


def _charset_normalizer(data: bytes) -> tuple[str | None, str | None]:
    from charset_normalizer import from_bytes  # only for files that are not UTF-8

    best = from_bytes(data).best()
    if best is None:
        return None, None
    text = str(best)
    return (None, None) if _mostly_control(text) else (text, best.encoding)


# ---------------------------------------------------------------------------------- HTML

_TAG = re.compile(r"<[!/?]?[A-Za-z][^<>]*>")


def _extract_html(html: str) -> tuple[str | None, dict[str, object], str]:
    """(main text, metadata, problem): text is None, with the problem, when there is none."""
    import trafilatura  # only when an HTML file is read

    try:
        document = trafilatura.bare_extraction(
            html,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
            with_metadata=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception as error:  # a third-party parser on arbitrary input: never let it crash a build
        return None, {}, f"cannot extract text from the HTML ({type(error).__name__})"
    text = _TAG.sub("", getattr(document, "text", None) or "")  # escaped markup in the page text
    if not text.strip():
        return None, {}, "no article text found in the HTML"
    metadata: dict[str, object] = {}
    for key, attribute in (("title", "title"), ("date", "date"), ("source", "sitename"), ("url", "url")):
        value = getattr(document, attribute, None)
        if isinstance(value, str) and value.strip():
            clean, _ = _field_value(key, _TAG.sub("", value).strip())
            if clean is not None:
                metadata[key] = clean
    return text, metadata, ""


# ---------------------------------------------------------------------------------- metadata

_FENCE = re.compile(r"---[ \t]*")
_FIELD = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:(.*)")
_ISO_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[T ]\d{2}:\d{2}\S*)?")
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s<>\"]+")


def _front_matter_end(text: str, start: int = 0) -> int | None:
    """End offset of the front matter's closing fence when a complete block starts at `start`."""
    if text.startswith("\ufeff", start):
        start += 1
    lines = _raw_lines(text, start)
    first = next(lines)
    if not _FENCE.fullmatch(text, first[0], first[1]):
        return None
    for _, (line_start, line_end) in zip(range(FRONT_MATTER_MAX_LINES), lines):
        if _FENCE.fullmatch(text, line_start, line_end):
            return line_end
    return None


def _parse_front_matter(text: str, path: Path) -> tuple[dict[str, object], list[str]]:
    start = 1 if text.startswith("\ufeff") else 0
    if not _FENCE.fullmatch(text, *next(_raw_lines(text, start))):
        return {}, []
    end = _front_matter_end(text)
    if end is None:
        return {}, [f"{path}: front matter opened on line 1 is not closed by '---'"
                    f" within {FRONT_MATTER_MAX_LINES} lines — read as plain text"]
    fields: dict[str, object] = {}
    warnings: list[str] = []
    in_unknown_key = False  # the indented lines of an ignored key's value are ignored with it
    for number, (line_start, line_end) in enumerate(_raw_lines(text[:end], start), 1):
        raw_line = text[line_start:line_end]
        line = raw_line.strip()
        if number == 1 or _FENCE.fullmatch(line) or not line or line.startswith("#"):
            continue
        if in_unknown_key and raw_line[:1] in (" ", "\t", "-"):
            continue
        match = _FIELD.fullmatch(line)
        in_unknown_key = False
        if match is None:
            warnings.append(f"{path}: front matter line {number} {line!r} is not 'key: value' — ignored")
            continue
        key, raw = match.group(1).lower(), _unquote(match.group(2).strip())
        if key not in METADATA_KEYS:
            warnings.append(f"{path}: front matter line {number}: unknown key {key!r} — ignored"
                            f" (known: {', '.join(METADATA_KEYS)})")
            in_unknown_key = True
            continue
        value, problem = _field_value(key, raw)
        if value is None:
            warnings.append(f"{path}: front matter line {number}: {problem} — ignored")
        else:
            fields[key] = value
    return fields, warnings


def _read_sidecar(path: Path) -> tuple[dict[str, object], list[str]]:
    sidecar = path.with_name(path.stem + SIDECAR_SUFFIX)
    if not sidecar.is_file():
        return {}, []
    try:
        content = json.loads(sidecar.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        reason = _reason(sidecar, error) if isinstance(error, OSError) else f"not JSON in UTF-8: {error}"
        return {}, [f"{sidecar}: cannot read the metadata ({reason}) — ignored"]
    if not isinstance(content, dict):
        return {}, [f"{sidecar}: metadata must be a JSON object with keys {', '.join(METADATA_KEYS)} — ignored"]
    fields: dict[str, object] = {}
    warnings = []
    for key in sorted(content):
        raw = content[key]
        if key not in METADATA_KEYS:
            warnings.append(f"{sidecar}: unknown key {key!r} — ignored (known: {', '.join(METADATA_KEYS)})")
        elif not isinstance(raw, str):
            warnings.append(f"{sidecar}: {key} must be a string, not {json.dumps(raw)[:60]} — ignored")
        else:
            value, problem = _field_value(key, raw.strip())
            if value is None:
                warnings.append(f"{sidecar}: {problem} — ignored")
            else:
                fields[key] = value
    return fields, warnings


def _field_value(key: str, raw: str) -> tuple[object | None, str]:
    """(the checked value, or None and what is wrong with it)."""
    if not raw:
        return None, f"{key} is empty"
    if key == "date":
        match = _ISO_DATE.fullmatch(raw)
        try:
            return date.fromisoformat(match.group(1)), ""
        except (AttributeError, ValueError):
            return None, f"date {raw!r} is not a date YYYY-MM-DD"
    if key == "url" and not _URL.fullmatch(raw):
        return None, f"url {raw!r} is not an absolute URL"
    return raw, ""


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1].strip()
    return value


def _title_from_segments(text: str, segments: Sequence[Segment]) -> str | None:
    for s in segments:
        if s.kind in ("body", "heading"):
            return text[s.start : s.end] if s.kind == "heading" else None
    return None


_MONTHS = ("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout",
           "septembre", "octobre", "novembre", "decembre")
_DATELINE = re.compile(
    r"(?:publie|mis a jour|mise a jour)e?\b\D*?(?:"
    rf"(?P<day>\d{{1,2}})(?:er)? (?P<month>{'|'.join(_MONTHS)}) (?P<year>\d{{4}})"
    r"|(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4})"
    r"|(?P<iso>\d{4}-\d{2}-\d{2}))",
    re.IGNORECASE,
)


def _dateline_date(text: str, segments: Sequence[Segment]) -> date | None:
    """The date of the first "Publié le ..." (else "Mis à jour le ...") boilerplate line."""
    found: list[tuple[bool, date]] = []
    for s in segments:
        if s.kind != "boilerplate" or s.end - s.start > 120:
            continue
        line = _fold(text[s.start : s.end])
        match = _DATELINE.match(line)
        if match is None:
            continue
        try:
            if match.group("iso"):
                value = date.fromisoformat(match.group("iso"))
            elif match.group("year"):
                month = _MONTHS.index(match.group("month").lower()) + 1
                value = date(int(match.group("year")), month, int(match.group("day")))
            else:
                value = date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
        except ValueError:
            continue
        found.append((not line.lower().startswith("publi"), value))
    return min(found, key=lambda f: f[0])[1] if found else None


# ---------------------------------------------------------------------------------- language

_WORD = re.compile(r"[^\W\d_]+")


def _looks_french(text: str, segments: Sequence[Segment]) -> bool:
    sample = []
    size = 0
    for s in segments:
        if s.kind in ("body", "heading"):
            sample.append(text[s.start : s.end])
            size += s.end - s.start
            if size >= FRENCH_SAMPLE_CHARS:
                break
    words = _WORD.findall(" ".join(sample).lower())
    if len(words) < FRENCH_MIN_WORDS:
        return True  # too short to tell
    return sum(w in FRENCH_FUNCTION_WORDS for w in words) >= FRENCH_MIN_SHARE * len(words)


# ---------------------------------------------------------------------------------- segments

_LINE_BREAK = re.compile(r"\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"
_ALNUM = re.compile(r"[^\W_]")
_LETTER = re.compile(r"[^\W\d_]")
_MARKDOWN_HEADING = re.compile(r"#{1,6}\s+")
_LIST_MARKER = re.compile(r"(?:[-*+•‣◦–—]|>+)\s+")
_COUNTED_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_SENTENCE_END = frozenset(".!?…")
_CONTINUES = frozenset(":;,-–—/")
_CLOSING_QUOTES = "»”\"'’"
_TWO_SENTENCES = re.compile(r"[^\W\d_A-Z]{2}[.!?…]\s+[«\"“]?[A-ZÀ-Ý]")
_NAME_CONNECTORS = frozenset(
    "de du des la le les l d et en avec the of and y el di der fr com net org info tv".split()
)
_FOLD = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "´": "'", "–": "-", "—": "-", "‑": "-", "−": "-"})
_SPACES = re.compile(r"\s+")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def segment(text: str, start: int = 0) -> tuple[Segment, ...]:
    """Cut text[start:] into one Segment per non-empty line (offsets into `text`), classified.

    A front matter block opening at `start` gives `metadata` segments; other lines are
    `boilerplate`, `heading` or `body` (see the module docstring for the rules).
    """
    segments: list[Segment] = []
    front_matter_end = _front_matter_end(text, start)
    if front_matter_end is not None:
        for line_start, line_end in _raw_lines(text[:front_matter_end], start):
            span = _trim(text, line_start, line_end)
            if span:
                segments.append(Segment(*span, "metadata"))
        start = front_matter_end

    candidates: list[tuple[int, int, str]] = []  # (start, end, forced kind or "")
    for line_start, line_end in _raw_lines(text, start):
        span = _trim(text, line_start, line_end)
        if not span:
            continue
        a, b = span
        line = text[a:b]
        if not _ALNUM.search(line) or _is_boilerplate(line):
            segments.append(Segment(a, b, "boilerplate"))
            continue
        forced = ""
        for marker, kind in ((_MARKDOWN_HEADING, "heading"), (_LIST_MARKER, "body")):
            match = marker.match(line)
            if match:
                a, b = _trim(text, a + match.end(), b) or (a, b)
                forced = kind
                break
        candidates.append((a, b, forced))

    previous_open = False  # the previous body line ends without closing its sentence
    for i, (a, b, forced) in enumerate(candidates):
        line = text[a:b]
        last = i == len(candidates) - 1
        if forced:
            kind = forced
        elif last:
            kind = "boilerplate" if i > 0 and _is_site_name(line) else "body"
        else:
            next_line = text[candidates[i + 1][0] : candidates[i + 1][1]]
            heading = (
                not previous_open
                and _is_title_like(line, max_words=FIRST_LINE_MAX_WORDS if i == 0 else HEADING_MAX_WORDS)
                and not _starts_lower(next_line)
            )
            kind = "heading" if heading else "body"
        segments.append(Segment(a, b, kind))
        if kind == "body":
            previous_open = not _ends_sentence(line)
        elif kind == "heading":
            previous_open = False
    segments.sort(key=lambda s: s.start)
    return tuple(segments)


def _raw_lines(text: str, start: int = 0) -> Iterator[tuple[int, int]]:
    """(start, end) of each line of text[start:], line breaks left out."""
    position = start
    for match in _LINE_BREAK.finditer(text, start):
        yield position, match.start()
        position = match.end()
    yield position, len(text)


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and (text[start].isspace() or text[start] in _INVISIBLE):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in _INVISIBLE):
        end -= 1
    return (start, end) if start < end else None


def _words(line: str) -> int:
    return len(_COUNTED_WORD.findall(line))


def _starts_lower(line: str) -> bool:
    match = _LETTER.search(line)
    return bool(match) and match.group().islower()


def _without_closing_quotes(line: str) -> str:
    return line.rstrip(_CLOSING_QUOTES + " \u00a0\u202f\t")


def _ends_sentence(line: str) -> bool:
    inner = _without_closing_quotes(line)
    return bool(inner) and (inner[-1] in _SENTENCE_END or inner != line and inner[-1] not in _CONTINUES)


def _is_title_like(line: str, *, max_words: int) -> bool:
    """Short, starting with a capital, not a finished or unfinished sentence (or a short question)."""
    inner = _without_closing_quotes(line)
    if not inner or inner[-1] in _SENTENCE_END and inner[-1] != "?" or inner[-1] in _CONTINUES:
        return False
    if _words(line) > (HEADING_MAX_WORDS if inner[-1] == "?" else max_words):
        return False
    return not _starts_lower(line) and not _TWO_SENTENCES.search(line)


def _is_site_name(line: str) -> bool:
    """A short run of capitalised words ("La Gazette du Nord", "Ouest-France", "20 Minutes")."""
    if line[-1] in _SENTENCE_END or line[-1] in _CONTINUES or line[-1] in _CLOSING_QUOTES:
        return False
    words = _WORD.findall(line)
    if not words or len(_COUNTED_WORD.findall(line)) > SITE_NAME_MAX_WORDS:
        return False
    return any(w[0].isupper() for w in words) and all(
        w[0].isupper() or w.lower() in _NAME_CONNECTORS for w in words
    )


def _fold(line: str) -> str:
    """The line as boilerplate patterns see it: no accents, plain apostrophes and dashes, single spaces."""
    if not line.isascii():
        line = _COMBINING.sub("", unicodedata.normalize("NFKD", line)).translate(_FOLD)
    return _SPACES.sub(" ", line).strip()


def _is_boilerplate(line: str) -> bool:
    whole, prefix = _boilerplate_patterns()
    if len(line) > BOILERPLATE_MAX_CHARS:  # article text, unless it opens like furniture
        return bool(prefix.match(_fold(line[:BOILERPLATE_MAX_CHARS])))
    folded = _fold(line)
    return bool(whole.fullmatch(folded) or prefix.match(folded))


@functools.cache
def _boilerplate_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The patterns of kg/data/boilerplate.toml, compiled once into two alternations."""
    source = resources.files("kg").joinpath("data", "boilerplate.toml")
    try:
        groups = tomllib.loads(source.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise KgError(f"{source}: cannot read the boilerplate patterns ({error})") from error
    lists: dict[str, list[str]] = {"whole": [], "prefix": []}
    for name, group in sorted(groups.items()):
        if not isinstance(group, dict) or set(group) - set(lists):
            raise KgError(f"{source}: [{name}] must hold only 'whole' and 'prefix' lists of patterns")
        for how, patterns in sorted(group.items()):
            for pattern in patterns:
                pattern = unicodedata.normalize("NFD", pattern)
                pattern = "".join(c for c in pattern if not unicodedata.combining(c))
                try:
                    re.compile(pattern)
                except re.error as error:
                    raise KgError(f"{source}: [{name}] {how} pattern {pattern!r} is invalid ({error})") from error
                lists[how].append(f"(?:{pattern})")
    compiled = [re.compile("|".join(lists[how]) or r"(?!)", re.IGNORECASE) for how in ("whole", "prefix")]
    return compiled[0], compiled[1]
