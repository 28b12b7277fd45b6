"""The one Chinese catalogue: list its gaps, or fill msgstr from a JSON file.

    python scripts/i18n.py check              list strings in the sources without a Chinese text,
                                              and Chinese texts with ASCII punctuation or 你
    python scripts/i18n.py fill FILE.json     set msgstr from a {"msgid": "译文"} JSON file

Extracting, updating and compiling are Babel's own commands, run by make (see babel.cfg):
``make update-translations`` (pybabel extract + update, then check) and ``make translations``
(pybabel compile). The catalogue is traincenter/translations/zh_Hans_CN/LC_MESSAGES/messages.po.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = "zh_Hans_CN"
CATALOGUE = ROOT / "traincenter" / "translations" / LOCALE / "LC_MESSAGES" / "messages.po"
KEYWORDS = {
    "_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None,
    "lazy_ngettext": (1, 2), "pgettext": ((1, "c"), 2),
}


def extract() -> Catalog:
    """Every translatable string of the sources, as ``make extract`` finds them (babel.cfg)."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    template = Catalog(project="traincenter", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def load() -> Catalog:
    """The Chinese catalogue."""
    with CATALOGUE.open("rb") as handle:
        return read_po(handle, locale=LOCALE)


def missing() -> list[str]:
    """Strings in the sources with no (non-fuzzy) Chinese translation."""
    catalog = load()
    gaps = []
    for message in extract():
        if not message.id:
            continue
        entry = catalog.get(message.id, context=message.context)
        strings = entry.string if entry is not None else None
        translated = all(strings) if isinstance(strings, (list, tuple)) else bool(strings)
        if entry is None or not translated or entry.fuzzy:
            gaps.append(message.id if isinstance(message.id, str) else message.id[0])
    return gaps


# Chinese text takes Chinese punctuation (：，（）？！；), never the ASCII marks beside a Chinese
# character. Placeholders (%(name)s, {name}) count as neither; "1:2", "14:05", a URL and English
# text stay as they are.
CJK = r"[\u3400-\u9fff\u3000-\u303f\uff01-\uff5e]"
ASCII_MARKS = r"[:,()?!;]"
PLACEHOLDER = re.compile(r"%\([A-Za-z_]+\)[-#0 +]?\d*(?:\.\d+)?[sdfr]|%[sd]|\{[A-Za-z_]*\}")
MARK_BESIDE_CJK = re.compile(rf"{CJK}[ \t]*{ASCII_MARKS}|{ASCII_MARKS}[ \t]*{CJK}")
# Trainees are addressed as 您 (and 自己 on what they read is 您 too), everywhere.
INFORMAL = re.compile(r"你")


def punctuation_problems(text: str) -> list[str]:
    """The ASCII punctuation marks standing beside a Chinese character in ``text``, in context."""
    neutral = PLACEHOLDER.sub("X", text)
    return [match.group(0) for match in MARK_BESIDE_CJK.finditer(neutral)]


def wording_problems(catalog: Catalog | None = None) -> list[str]:
    """Chinese texts with ASCII punctuation beside Chinese characters, or addressing as 你."""
    problems = []
    for message in catalog or load():
        strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
        for text in filter(None, strings):
            marks = punctuation_problems(text)
            if marks:
                problems.append(f"punctuation {marks}: {text}")
            if INFORMAL.search(text):
                problems.append(f"use 您, not 你: {text}")
    return problems


def fill(translations: dict[str, str]) -> int:
    """Set the Chinese text of the given msgids; return how many were set."""
    catalog = load()
    count = 0
    for message in catalog:
        if message.id and isinstance(message.id, str) and message.id in translations:
            message.string = translations[message.id]
            message.flags.discard("fuzzy")
            count += 1
    with CATALOGUE.open("wb") as handle:
        write_po(handle, catalog, width=100, sort_output=True, include_lineno=False)
    return count


def main(argv: list[str]) -> int:
    """Command-line entry point."""
    if argv[:1] == ["fill"] and len(argv) == 2:
        data = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
        print(f"{fill(data)} filled, {len(missing())} still missing")
        return 0
    if argv[:1] == ["check"]:
        gaps = missing()
        for message in gaps:
            print(f"missing: {message}")
        problems = wording_problems()
        for problem in problems:
            print(problem)
        return 1 if gaps or problems else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
