"""How names are ordered: by their pinyin, as a Chinese reader looks a name up (马 before 魏).

A surname read differently from the same character in ordinary words (单 shàn, 曾 zēng, 仇 qiú …)
is read as a surname: the first character (or a compound surname such as 尉迟) comes from
``SURNAME_READINGS`` before pypinyin reads the rest. The key is plain ASCII, so the database
orders it the same way under SQLite and PostgreSQL, whatever the collation.
"""

from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

NAME_SORT_KEY_LENGTH = 255

# Surnames whose reading differs from the character's most common one (tone as a trailing digit).
SURNAME_READINGS = {
    "尉迟": ("yu4", "chi2"), "万俟": ("mo4", "qi2"), "长孙": ("zhang3", "sun1"),
    "单于": ("chan2", "yu2"), "澹台": ("tan2", "tai2"), "令狐": ("ling2", "hu2"),
    "单": ("shan4",), "曾": ("zeng1",), "仇": ("qiu2",), "解": ("xie4",), "朴": ("piao2",),
    "区": ("ou1",), "查": ("zha1",), "盖": ("ge3",), "乐": ("yue4",), "覃": ("qin2",),
    "翟": ("zhai2",), "缪": ("miao4",), "召": ("shao4",), "繁": ("po2",), "员": ("yun4",),
    "种": ("chong2",), "秘": ("bi4",), "冼": ("xian3",), "洗": ("xian3",), "褚": ("chu3",),
    "折": ("she2",), "黑": ("he4",), "尉": ("wei4",), "华": ("hua4",), "任": ("ren2",),
    "谌": ("chen2",), "隗": ("wei3",), "宓": ("mi4",), "句": ("gou1",), "莘": ("shen1",),
    "燕": ("yan1",), "过": ("guo1",), "都": ("du1",), "藏": ("zang4",), "薄": ("bo2",),
    "柏": ("bai3",), "费": ("fei4",), "角": ("jue2",), "能": ("nai4",), "叶": ("ye4",),
    "沈": ("shen3",), "石": ("shi2",), "贾": ("jia3",), "葛": ("ge3",), "纪": ("ji3",),
    "阚": ("kan4",), "相": ("xiang1",), "么": ("yao1",), "卜": ("bu3",), "参": ("shen1",),
}
_COMPOUND = sorted((s for s in SURNAME_READINGS if len(s) > 1), key=len, reverse=True)


def _readings(text: str) -> list[str]:
    syllables = []
    for chunk in lazy_pinyin(text, style=Style.TONE3, neutral_tone_with_five=True, v_to_u=False,
                             errors="default"):
        # A chunk pypinyin cannot read (Latin letters, digits) counts word by word.
        syllables += _WORD.findall(chunk.lower())
    return syllables


_WORD = re.compile(r"[0-9a-z]+")
SYLLABLE_WIDTH = 7  # zhuang3: the longest syllable with its tone


def name_pinyin(name: str) -> list[str]:
    """The name's syllables with tone digits, the surname read as a surname: 单雄 → shan4 xiong2."""
    name = (name or "").strip()
    surname = next((s for s in _COMPOUND if name.startswith(s)), name[:1])
    if surname in SURNAME_READINGS:
        return [*SURNAME_READINGS[surname], *_readings(name[len(surname):])]
    return _readings(name)


def name_sort_key(name: str) -> str:
    """A key that orders names by pinyin syllable by syllable (then tone): 马 < 王 < 魏 < 张.

    Each syllable is padded with 0 to the same width, so 李 (li) comes before 连 (lian) and 马丽
    before 马丽丽 under any collation (only lowercase letters and digits); lists order by the key,
    then the name, then the id, to separate two characters read alike.
    """
    return "".join(s.ljust(SYLLABLE_WIDTH, "0") for s in name_pinyin(name))[:NAME_SORT_KEY_LENGTH]
