"""The text of a PDF as poppler's ``pdftotext`` reads it (pypdf cannot read the subset CJK font).

CI installs poppler-utils (``.ci/run``) and sets TRAINCENTER_CI, so there a missing pdftotext
fails the test; on a developer's machine without it the PDF text checks are skipped, with the
command that installs it.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest


def pdftotext(pdf: bytes, *args: str) -> str:
    """``pdftotext -enc UTF-8 ARGS - -`` of ``pdf`` (e.g. ``"-layout"`` or ``"-raw"``)."""
    if shutil.which("pdftotext") is None:
        message = "pdftotext is missing: apt-get install -y poppler-utils"
        if os.environ.get("TRAINCENTER_CI"):
            pytest.fail(message)
        pytest.skip(message)
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", *args, "-", "-"], input=pdf,
                            capture_output=True, check=True)
    return result.stdout.decode("utf-8")
