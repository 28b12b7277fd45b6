"""The one Chinese catalogue is complete, and Chinese is what a zh-CN browser gets."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import i18n  # noqa: E402


def test_there_is_one_catalogue():
    catalogues = sorted((ROOT / "traincenter" / "translations").rglob("*.po"))
    assert catalogues == [i18n.CATALOGUE]


def test_catalogue_is_complete():
    assert i18n.missing() == []


def test_a_zh_cn_browser_gets_chinese(client):
    page = client.get("/auth/login", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert "登录" in page.get_data(as_text=True)
