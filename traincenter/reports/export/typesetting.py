"""Chinese line breaking for the PDF (禁则): where a line of mixed Chinese and Latin text may break.

- No line starts with closing punctuation (。，、；：？！）」》 and their kin), and no line ends
  with opening punctuation (（「《 and kin): the break moves back one unit instead.
- Numbers with their signs and decimals ("+2.5", "12.3%", "2026-01-15") and Latin words never
  split, and neither does "百分点".
- The last line of a paragraph is never a single character, with or without its closing marks
  (the "lone 点" of a figure's unit, "人。").
- Where no earlier break is allowed, closing marks hang past the right edge (悬挂) rather than
  start the next line.

``break_lines(text, width, measure)`` is pure: ``measure(text)`` gives the width of a piece of
text in the same unit as ``width`` (the PDF writer passes fpdf's ``get_string_width``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

NO_LINE_START = frozenset("。，、；：？！）」』》〉】〕”’…%‰·.,;:?!)]}»")
NO_LINE_END = frozenset("（「『《〈【〔“‘([{«")
# A unit that never splits: a number (with sign, separators, decimals, percent), a Latin word, or
# a run of closing marks after it is handled by the rules above.
UNIT = re.compile(r"[+\-−]?[0-9][0-9,.:/\-]*%?|[A-Za-z][A-Za-z'’\-]*|百分点|.", re.S)


def units(text: str) -> list[str]:
    """The pieces a line may break between."""
    return UNIT.findall(text)


def _allowed(pieces: list[str], at: int) -> bool:
    """May a line break before ``pieces[at]``?"""
    if at <= 0 or at >= len(pieces):
        return True
    before, after = pieces[at - 1], pieces[at]
    if after[0] in NO_LINE_START or before[-1] in NO_LINE_END:
        return False
    return not (before[-1] == " " and after[0] == " ")


def break_lines(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (a piece wider than a line is split)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(_break_paragraph(paragraph, width, measure))
    return lines


def _break_paragraph(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    pieces: list[str] = []
    for piece in units(text):
        if len(piece) > 1 and measure(piece) > width:
            pieces.extend(piece)  # a Latin run longer than a line: split it by characters
        else:
            pieces.append(piece)
    if not pieces:
        return [""]
    breaks = [0]
    start, used = 0, 0.0
    index = 0
    while index < len(pieces):
        piece_width = measure(pieces[index])
        if used + piece_width <= width or index == start:
            used += piece_width
            index += 1
            continue
        at = index
        while at > start + 1 and not _allowed(pieces, at):
            at -= 1
        if not _allowed(pieces, at):  # nowhere earlier: let the closing marks hang past the edge
            at = index + 1
            while at < len(pieces) and not _allowed(pieces, at):
                at += 1
            if at >= len(pieces):
                break
        breaks.append(at)
        start, used, index = at, 0.0, at
    breaks.append(len(pieces))
    _avoid_a_lone_last_character(pieces, breaks, width, measure)
    return ["".join(pieces[a:b]).strip(" ") for a, b in zip(breaks, breaks[1:], strict=False)]


def _avoid_a_lone_last_character(pieces, breaks, width, measure) -> None:
    """Move one more piece down when the last line would hold a single character."""
    if len(breaks) < 3:
        return
    last_start = breaks[-2]
    if len([c for c in "".join(pieces[last_start:]).strip() if c not in NO_LINE_START]) > 1:
        return
    for at in (last_start - 1, last_start - 2):
        if at > breaks[-3] + 1 and _allowed(pieces, at) \
                and measure("".join(pieces[at:])) <= width:
            breaks[-2] = at
            return
