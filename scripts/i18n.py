"""Translation catalogues, one per area: extract, update, compile, check.

    python scripts/i18n.py update [AREA ...]   extract strings and merge them into the .po files
    python scripts/i18n.py compile             compile every .po to .mo (make does this)
    python scripts/i18n.py check               list strings without a Chinese translation
    python scripts/i18n.py fill AREA FILE.json fill msgstr from a {"msgid": "译文"} JSON file

Catalogues live in traincenter/translations/<area>/zh_Hans_CN/LC_MESSAGES/messages.po; "core"
holds the shared modules and templates (models, services, auth, main, base templates).
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "traincenter"
TEMPLATES = ROOT / "templates"
TRANSLATIONS = PACKAGE / "translations"
LOCALE = "zh_Hans_CN"
KEYWORDS = {
    "_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
    "lazy_ngettext": (1, 2), "pgettext": ((1, "c"), 2),
}
JINJA = "jinja2.ext:babel_extract"
JINJA_OPTIONS = {"extensions": "jinja2.ext.do", "trimmed": "false"}
CORE_DIRS = ("models", "services", "auth", "main")
CORE_TEMPLATE_DIRS = ("errors", "auth", "main")


def areas() -> list[str]:
    """Every catalogue: core plus each area package with its own folder."""
    sys.path.insert(0, str(ROOT))
    from traincenter import CATALOGUES

    return list(CATALOGUES)


def source_files(area: str) -> list[tuple[Path, str]]:
    """(file, method) pairs whose strings belong to ``area``'s catalogue."""
    files: list[tuple[Path, str]] = []
    if area == "core":
        files += [(p, "python") for p in sorted(PACKAGE.glob("*.py"))]
        for name in CORE_DIRS:
            files += [(p, "python") for p in sorted((PACKAGE / name).rglob("*.py"))]
        files += [(p, JINJA) for p in sorted(TEMPLATES.glob("*.html"))]
        for name in CORE_TEMPLATE_DIRS:
            files += [(p, JINJA) for p in sorted((TEMPLATES / name).rglob("*.html"))]
    else:
        files += [(p, "python") for p in sorted((PACKAGE / area).rglob("*.py"))]
        files += [(p, JINJA) for p in sorted((TEMPLATES / area).rglob("*.html"))]
    return files


def extract(area: str) -> Catalog:
    """A template catalogue of every string in ``area``'s sources."""
    template = Catalog(project="traincenter", charset="utf-8")
    for path, method in source_files(area):
        options = JINJA_OPTIONS if method == JINJA else {}
        for lineno, message, comments, context in extract_from_file(
            method, str(path), keywords=KEYWORDS, options=options, strip_comment_tags=True
        ):
            template.add(message, None, [(str(path.relative_to(ROOT)), lineno)],
                         auto_comments=comments, context=context)
    return template


def po_path(area: str) -> Path:
    """Where ``area``'s Chinese catalogue lives."""
    return TRANSLATIONS / area / LOCALE / "LC_MESSAGES" / "messages.po"


def load(area: str) -> Catalog:
    """The area's current catalogue (empty when it does not exist yet)."""
    path = po_path(area)
    if not path.exists():
        return Catalog(locale=LOCALE, project="traincenter", charset="utf-8")
    with path.open("rb") as handle:
        return read_po(handle, locale=LOCALE)


def update(area: str) -> int:
    """Merge newly extracted strings into the catalogue; return how many still lack a translation."""
    catalog = load(area)
    catalog.update(extract(area), no_fuzzy_matching=True)
    catalog.obsolete.clear()
    path = po_path(area)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=False)
    return len(missing(area))


def compile_all() -> None:
    """Compile every catalogue to .mo next to its .po."""
    for area in areas():
        path = po_path(area)
        if not path.exists():
            continue
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=LOCALE)
        with path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)


def missing(area: str) -> list[str]:
    """Strings in ``area``'s sources with no (non-fuzzy) Chinese translation."""
    catalog = load(area)
    gaps = []
    for message in extract(area):
        if not message.id:
            continue
        entry = catalog.get(message.id, context=message.context)
        strings = entry.string if entry is not None else None
        translated = all(strings) if isinstance(strings, (list, tuple)) else bool(strings)
        if entry is None or not translated or entry.fuzzy:
            gaps.append(message.id if isinstance(message.id, str) else message.id[0])
    return gaps


def fill(area: str, translations: dict[str, str]) -> int:
    """Set the Chinese text of the given msgids in ``area``'s catalogue; return how many were set."""
    catalog = load(area)
    count = 0
    for message in catalog:
        if message.id and isinstance(message.id, str) and message.id in translations:
            message.string = translations[message.id]
            message.flags.discard("fuzzy")
            count += 1
    with po_path(area).open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False, sort_output=False)
    return count


def main(argv: list[str]) -> int:
    """Command-line entry point."""
    if argv and argv[0] == "fill" and len(argv) == 3:
        import json

        data = json.loads(Path(argv[2]).read_text(encoding="utf-8"))
        print(f"{argv[1]}: {fill(argv[1], data)} filled, {len(missing(argv[1]))} still missing")
        return 0
    if not argv or argv[0] not in {"update", "compile", "check"}:
        print(__doc__)
        return 2
    command, names = argv[0], argv[1:] or areas()
    if command == "update":
        for area in names:
            print(f"{area}: {update(area)} untranslated")
    elif command == "compile":
        compile_all()
    else:
        total = 0
        for area in names:
            for message in missing(area):
                print(f"{area}: {message}")
                total += 1
        return 1 if total else 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
