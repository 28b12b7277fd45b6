"""The bundled CJK font, registered once for matplotlib and exposed for PDF writers.

Charts and PDFs must show Chinese on any server, so we never rely on system fonts: the project
ships Noto Sans CJK SC Regular (OFL, see ``static/fonts/OFL.txt``). ``setup_matplotlib()`` adds
it to matplotlib's global font manager, puts its family first in ``font.sans-serif`` and turns
off the Unicode minus sign (the font has no U+2212). PDF writers (fpdf2) embed ``FONT_PATH``.

Import this module before building any ``matplotlib.figure.Figure``; it selects the Agg backend
and never touches pyplot state.
"""

from __future__ import annotations

import threading
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager, rcParams  # noqa: E402

FONT_PATH: Path = Path(__file__).resolve().parent / "static" / "fonts" / "NotoSansCJKsc-Regular.otf"
FONT_FAMILY_FALLBACK = "Noto Sans CJK SC"

_lock = threading.Lock()
_family: str | None = None


def setup_matplotlib() -> str:
    """Register the bundled font with matplotlib (idempotent, thread-safe); return its family."""
    global _family
    if _family is not None:
        return _family
    with _lock:
        if _family is None:
            if not FONT_PATH.is_file():
                raise FileNotFoundError(f"bundled CJK font missing: {FONT_PATH}")
            manager = font_manager.fontManager
            manager.addfont(str(FONT_PATH))
            family = font_manager.FontProperties(fname=str(FONT_PATH)).get_name() or FONT_FAMILY_FALLBACK
            # A system copy of the same family (e.g. Debian's NotoSansCJK-Regular.ttc) would win the
            # lookup by name; keep only the bundled file under that name so every server renders
            # with exactly the font we ship and embed in PDFs.
            bundled = str(FONT_PATH)
            manager.ttflist = [entry for entry in manager.ttflist
                               if entry.name != family or entry.fname == bundled]
            cached = getattr(manager, "_findfont_cached", None)
            if cached is not None and hasattr(cached, "cache_clear"):
                cached.cache_clear()
            current = [name for name in rcParams["font.sans-serif"] if name != family]
            rcParams["font.sans-serif"] = [family, *current]
            rcParams["font.family"] = ["sans-serif"]
            rcParams["axes.unicode_minus"] = False
            _family = family
    return _family


def font_properties() -> font_manager.FontProperties:
    """FontProperties pointing at the bundled file itself (for explicit use in charts)."""
    setup_matplotlib()
    return font_manager.FontProperties(fname=str(FONT_PATH))


FONT_FAMILY: str = setup_matplotlib()
