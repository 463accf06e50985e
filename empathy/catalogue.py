"""The translation catalogues: extract the marked strings of some files and report what lacks Spanish.

`locale/es/LC_MESSAGES/django.po` (templates and Python) and `djangojs.po` (static/js) are the
catalogues, written by hand. `extract()` runs Django's own `makemessages` on a copy of the given files,
merged with the committed catalogue, without touching the working tree: the catalogue check in
`make test` (tests/test_translations.py) uses it on the whole project, so a string marked in a commit
without its Spanish fails the build, and so does a fuzzy or format-mismatched translation.

    python -m empathy.catalogue                 # what the whole project lacks, listed
    python -m empathy.catalogue --write         # the same, and refresh the committed catalogues
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LANGUAGE = "es"
CATALOGUES = ROOT / "locale" / LANGUAGE / "LC_MESSAGES"
SOURCE_DIRS = ("toolkit", "audit", "participants", "programs", "recruitment", "interviews", "analysis", "actions",
               "reports", "privacy", "district", "empathy", "templates", "static/js")
SOURCE_SUFFIXES = (".py", ".html", ".txt", ".js", ".xml")
NOT_SOURCE = ("migrations", "__pycache__", "vendor", "tests")
SETTINGS = """from empathy.settings import *  # noqa: F401,F403
LOCALE_PATHS = [{locale!r}]
"""


@dataclass(frozen=True)
class Gap:
    domain: str
    msgid: str
    where: str
    problem: str

    def __str__(self) -> str:
        return f"{self.domain}: {self.problem}: {self.msgid!r} ({self.where})"


def source_files(root: Path = ROOT) -> list[Path]:
    found = []
    for folder in SOURCE_DIRS:
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in SOURCE_SUFFIXES and not set(path.relative_to(root).parts) & set(NOT_SOURCE):
                found.append(path.relative_to(root))
    return found


def extract(*, files: list[Path] | None = None, root: Path = ROOT, committed: Path = CATALOGUES,
            timeout: int = 300) -> dict[str, polib.POFile]:
    """The catalogues `makemessages` makes for `files`, merged with the committed ones (by domain)."""
    files = files if files is not None else source_files(root)
    with tempfile.TemporaryDirectory(prefix="catalogue-") as temporary:
        work = Path(temporary)
        for relative in files:
            (work / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(root / relative, work / relative)
        locale = work / "locale"
        (locale / LANGUAGE / "LC_MESSAGES").mkdir(parents=True)
        for domain in ("django", "djangojs"):
            if (committed / f"{domain}.po").exists():
                shutil.copy2(committed / f"{domain}.po", locale / LANGUAGE / "LC_MESSAGES" / f"{domain}.po")
        (work / "catalogue_settings.py").write_text(SETTINGS.format(locale=str(locale)))
        environment = {"PYTHONPATH": f"{work}:{ROOT}", "DJANGO_SETTINGS_MODULE": "catalogue_settings",
                       "DEBUG": "true", "PATH": "/usr/bin:/bin:/usr/local/bin", "HOME": temporary}
        for domain, extensions in (("django", "html,txt,py,xml"), ("djangojs", "js")):
            subprocess.run(
                [sys.executable, "-m", "django", "makemessages", "--locale", LANGUAGE, "--domain", domain,
                 "--extension", extensions, "--ignore", "locale", "--no-obsolete", "--verbosity", "0"],
                cwd=work, env=environment, check=True, timeout=timeout, capture_output=True,
            )
        made = {}
        for domain in ("django", "djangojs"):
            path = locale / LANGUAGE / "LC_MESSAGES" / f"{domain}.po"
            made[domain] = polib.pofile(str(path)) if path.exists() else polib.POFile()
        return made


def gaps(catalogues: dict[str, polib.POFile]) -> list[Gap]:
    found = []
    for domain, catalogue in catalogues.items():
        for entry in catalogue:
            if entry.obsolete:
                continue
            where = ", ".join(f"{path}:{line}" for path, line in entry.occurrences[:2])
            if "fuzzy" in entry.flags:
                found.append(Gap(domain, entry.msgid, where, "fuzzy"))
            elif not entry.translated():
                found.append(Gap(domain, entry.msgid, where, "no Spanish"))
    return found


def format_errors(committed: Path = CATALOGUES) -> list[str]:
    """What msgfmt --check says of the committed catalogues (placeholders that differ, bad plurals)."""
    errors = []
    for path in sorted(committed.glob("*.po")):
        result = subprocess.run(["msgfmt", "--check", "--output-file=/dev/null", str(path)],
                                capture_output=True, text=True)
        if result.returncode:
            errors.append(result.stderr.strip())
    return errors


def fragment(*, area: str, paths: list[str]) -> list[Gap]:
    """Refresh locale/fragments/<area>.<domain>.po for the files under `paths`, keeping what is translated.

    Used while several people translate parts of the app at once, each in a file of their own; the
    fragments are then merged into the catalogues (`--merge`) and deleted.
    """
    folder = ROOT / "locale" / "fragments"
    folder.mkdir(parents=True, exist_ok=True)
    files = [path for path in source_files() if any(str(path).startswith(prefix.rstrip("/")) for prefix in paths)]
    with tempfile.TemporaryDirectory(prefix="fragment-") as temporary:
        for domain in ("django", "djangojs"):
            existing = folder / f"{area}.{domain}.po"
            if existing.exists():
                shutil.copy2(existing, Path(temporary) / f"{domain}.po")
        catalogues = extract(files=files, committed=Path(temporary))
    for domain, catalogue in catalogues.items():
        if len(catalogue):
            catalogue.save(str(folder / f"{area}.{domain}.po"))
    return gaps(catalogues)


def merge_fragments() -> None:
    folder = ROOT / "locale" / "fragments"
    for domain in ("django", "djangojs"):
        target = CATALOGUES / f"{domain}.po"
        merged = polib.pofile(str(target)) if target.exists() else polib.POFile()
        known = {(entry.msgctxt, entry.msgid): entry for entry in merged}
        for path in sorted(folder.glob(f"*.{domain}.po")):
            for entry in polib.pofile(str(path)):
                if entry.obsolete or not entry.translated() or "fuzzy" in entry.flags:
                    continue
                key = (entry.msgctxt, entry.msgid)
                if key not in known:
                    known[key] = entry
                    merged.append(entry)
                elif not known[key].translated():
                    known[key].msgstr, known[key].msgstr_plural = entry.msgstr, dict(entry.msgstr_plural)
                    known[key].flags = [flag for flag in known[key].flags if flag != "fuzzy"]
        merged.metadata = merged.metadata or {
            "Content-Type": "text/plain; charset=UTF-8", "Language": LANGUAGE,
            "MIME-Version": "1.0", "Content-Transfer-Encoding": "8bit",
            "Plural-Forms": "nplurals=3; plural=n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2;",
        }
        merged.save(str(target))


# Attributes people read or hear (screen readers); `value` only on <input> buttons.
READ_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt", "aria-description", "data-confirm", "label"}
BUTTON_TYPES = {"submit", "button", "reset"}
MASK = " "  # a space: a tag inside an element's opening tag leaves it parseable
ACRONYM = re.compile(r"^[A-Z0-9.\-]{1,5}$")
WORDS = re.compile(r"[^\W\d_]{2,}")


def _masked(source: str) -> str:
    """The template with every tag, variable and translated block blanked out, line breaks kept."""
    from django.template.base import Lexer, TokenType

    pieces, inside = [], None
    for token in Lexer(source).tokenize():
        text = token.contents
        raw = source[token.position[0]:token.position[1]] if token.position else text
        if token.token_type == TokenType.BLOCK:
            word = text.split()[0] if text.split() else ""
            if word in ("blocktranslate", "blocktrans", "comment", "verbatim"):
                inside = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans",
                          "comment": "endcomment", "verbatim": "endverbatim"}[word]
            elif word == inside:
                inside = None
        if token.token_type == TokenType.TEXT and inside is None:
            pieces.append(raw)
        else:
            pieces.append(MASK + "\n" * raw.count("\n"))
    return "".join(pieces)


def _is_words(text: str) -> bool:
    text = re.sub(r"&[a-z]+;|&#\d+;", " ", text).replace(MASK, " ")
    words = [word for word in text.split() if WORDS.search(word)]
    return any(not ACRONYM.match(word.strip(".,:;()[]!?")) for word in words)


VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _UnmarkedFinder(HTMLParser):
    """Text and read attributes outside <script>, <style> and elements marked translate="no" (codes, names)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.found: list[tuple[int, str]] = []
        self.open: list[tuple[str, bool]] = []

    def _skipping(self) -> bool:
        return any(skip for _tag, skip in self.open)

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        skip = tag in ("script", "style") or values.get("translate") == "no"
        if not skip and not self._skipping():
            for name, value in attrs:
                readable = name in READ_ATTRIBUTES or (  # a <button>'s value is sent, not shown
                    name == "value" and tag == "input" and values.get("type") in BUTTON_TYPES)
                if readable and value and _is_words(value):
                    self.found.append((self.getpos()[0], f'{name}="{value.strip()}"'))
        if tag not in VOID_ELEMENTS:
            self.open.append((tag, skip))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS and self.open:
            self.open.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                break

    def handle_data(self, data):
        if not self._skipping() and _is_words(data):
            self.found.append((self.getpos()[0], " ".join(data.split())[:80]))


def unmarked_text(path: Path) -> list[tuple[int, str]]:
    """(line, text) of the words in a template that a person reads and that are not marked for translation."""
    masked = _masked(path.read_text())
    if path.suffix == ".txt":
        return [(number, " ".join(line.split())[:80]) for number, line in enumerate(masked.splitlines(), 1)
                if _is_words(line)]
    finder = _UnmarkedFinder()
    finder.feed(masked)
    finder.close()
    return finder.found


def templates_with_unmarked_text(paths: list[str] | None = None) -> list[str]:
    found = []
    for folder in paths or ["templates"]:
        target = ROOT / folder
        for path in sorted([target] if target.is_file() else target.rglob("*")):
            if path.suffix in (".html", ".txt"):
                found += [f"{path.relative_to(ROOT)}:{line}: {text}" for line, text in unmarked_text(path)]
    return found


def main(argv: list[str]) -> int:
    if argv[:1] == ["--unmarked"]:
        found = templates_with_unmarked_text(argv[1:])
        print("\n".join(found))
        print(f"{len(found)} pieces of template text are not marked for translation", file=sys.stderr)
        return 1 if found else 0
    if argv[:1] == ["--fragment"]:
        found = fragment(area=argv[1], paths=argv[2:])
        for gap in found:
            print(gap)
        print(f"{len(found)} strings lack Spanish in fragment {argv[1]}", file=sys.stderr)
        return 1 if found else 0
    if argv[:1] == ["--merge"]:
        merge_fragments()
        argv = ["--write"]
    catalogues = extract()
    if "--write" in argv:
        for domain, catalogue in catalogues.items():
            if len(catalogue):
                catalogue.save(str(CATALOGUES / f"{domain}.po"))
    found = gaps(catalogues)
    for gap in found:
        print(gap)
    print(f"{len(found)} strings lack Spanish", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "empathy.settings")
    os.environ.setdefault("DEBUG", "true")
    django.setup()
    sys.exit(main(sys.argv[1:]))
