"""Word pools and shares for the demo data, after the survey (篇4) and the annual report (篇2).

The city is 常德市 (Hunan) with its districts and counties: the region codes are the real
first six digits of ID numbers issued there, so every generated ID number looks local.
"""

from __future__ import annotations

import random

REGIONS = (  # (code, name, share)
    ("430702", "武陵区", 20), ("430703", "鼎城区", 16), ("430721", "安乡县", 8),
    ("430722", "汉寿县", 10), ("430723", "澧县", 11), ("430724", "临澧县", 7),
    ("430725", "桃源县", 13), ("430726", "石门县", 9), ("430781", "津市市", 6),
)
TOWNS = ("城关镇", "陬市镇", "漳江镇", "蒿子港镇", "周家店镇", "太青乡", "安福镇", "灌溪镇",
         "龙潭桥镇", "新安镇", "热市镇", "毛里湖镇")
STREETS = ("丹阳街道", "穿紫河街道", "芷兰街道", "白马湖街道", "南坪岗乡", "德山街道")
ESTATES = ("柳叶湖小区", "紫缘小区", "朗州花园", "鼎城家园", "阳明小区", "滨湖新村", "桃花源小区")

SURNAMES = ("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
            "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史")
FEMALE_GIVEN = ("秀英", "桂兰", "玉兰", "凤英", "淑珍", "春梅", "海燕", "丽娟", "红梅", "晓燕", "秀兰",
                "桂芳", "玉梅", "金凤", "美华", "小红", "建华", "翠萍", "素芬", "爱华", "腊梅", "冬梅",
                "艳", "芳", "敏", "静", "丽", "霞", "燕", "娟", "英", "萍", "琴", "莉", "慧", "婷")
MALE_GIVEN = ("建国", "志强", "国华", "德明", "海军", "卫东", "永红", "伟", "军", "勇", "强", "平")

# (code, share in %) — 篇4 reports 3/51/36/1/7/3 for the workforce; trainees are a little younger.
EDUCATION = (("illiterate", 3), ("primary", 42), ("junior", 40), ("vocational", 3),
             ("senior", 9), ("college", 3))
ORIGINS = (("rural", 62), ("laid_off", 26), ("other", 12))
OTHER_ORIGIN_NOTES = ("陪读妈妈，孩子在城区读书", "随子女进城", "个体经营转行")
# Age at enrolment: (lowest, highest, share) — many past 50, about a quarter over 60.
AGE_BANDS = ((20, 34, 11), (35, 49, 33), (50, 59, 32), (60, 68, 24))
FEMALE_SHARE = 0.92
LISTING_CONSENT_SHARE = 0.7

TRACKS = (  # code, name, description, share of regular classes
    ("GEN", "一般家政服务", "家庭保洁、钟点工、烹饪与家居整理", 40),
    ("YY", "育婴师", "科学看护婴幼儿、辅食制作、早期教育", 20),
    ("YL", "养老护理", "中老年人家庭护理、陪护与康复照料", 25),
    ("YS", "母婴护理/月嫂", "产妇护理、新生儿护理、月子餐", 15),
)
COMPULSORY = (("职业道德", 4), ("劳动法常识", 4), ("再就业优惠政策", 4))
ELECTIVES = (("中老年人家庭护理", 16), ("科学看护婴幼儿", 16), ("如何当好月嫂", 16), ("家庭保洁", 12),
             ("钟点工", 8), ("疏通下水道", 4), ("择业观教育", 4), ("服务礼仪", 4), ("社交礼仪", 4))

# Sessions of a regular class after the compulsory modules: (module, form, hours, topic).
# Each plan reaches 92 classroom hours, so a trainee may miss up to three half-days.
_COMMON = (("择业观教育", "lecture", 4, "找准自己的位置"), ("服务礼仪", "lecture", 4, "进门、称呼与沟通"),
           ("社交礼仪", "lecture", 4, "与雇主家庭相处"), ("家庭保洁", "demonstration", 4, "居室保洁流程"),
           ("家庭保洁", "practice", 4, "厨房与卫生间清洁"))
TRACK_SESSIONS = {
    "GEN": _COMMON + (
        ("家庭保洁", "practice", 4, "家具与地面保养"), ("家庭保洁", "practice", 4, "衣物洗涤与熨烫"),
        ("钟点工", "lecture", 4, "钟点工的服务协议"), ("钟点工", "practice", 4, "两小时整理一套住房"),
        ("钟点工", "practice", 4, "家常菜烹饪"), ("疏通下水道", "demonstration", 4, "常用工具"),
        ("疏通下水道", "practice", 4, "地漏与水槽疏通"), ("家庭保洁", "field_visit", 8, "参观家政服务公司"),
        ("中老年人家庭护理", "lecture", 4, "老人起居照料"), ("科学看护婴幼儿", "lecture", 4, "婴幼儿安全"),
        ("家庭保洁", "practice", 4, "家用电器的使用与清洁"), ("钟点工", "practice", 4, "面点制作"),
        ("家庭保洁", "practice", 4, "综合练习"), ("家庭保洁", "practice", 4, "考前操作练习"),
    ),
    "YY": _COMMON + (
        ("科学看护婴幼儿", "lecture", 4, "婴幼儿生长发育"), ("科学看护婴幼儿", "lecture", 4, "喂养与辅食"),
        ("科学看护婴幼儿", "demonstration", 4, "洗澡与抚触"), ("科学看护婴幼儿", "practice", 4, "冲奶与拍嗝"),
        ("科学看护婴幼儿", "practice", 4, "常见病的护理"), ("科学看护婴幼儿", "practice", 4, "早期教育游戏"),
        ("科学看护婴幼儿", "field_visit", 8, "参观社区早教中心"), ("如何当好月嫂", "lecture", 4, "新生儿护理"),
        ("科学看护婴幼儿", "practice", 4, "意外伤害的处理"), ("科学看护婴幼儿", "practice", 4, "睡眠与作息"),
        ("家庭保洁", "practice", 4, "婴儿用品消毒"), ("科学看护婴幼儿", "practice", 4, "综合练习"),
        ("科学看护婴幼儿", "practice", 4, "考前操作练习"), ("钟点工", "practice", 4, "儿童营养餐"),
    ),
    "YL": _COMMON + (
        ("中老年人家庭护理", "lecture", 4, "老年人身心特点"), ("中老年人家庭护理", "lecture", 4, "饮食与用药"),
        ("中老年人家庭护理", "demonstration", 4, "翻身与移位"), ("中老年人家庭护理", "practice", 4, "协助进食"),
        ("中老年人家庭护理", "practice", 4, "清洁与如厕照料"), ("中老年人家庭护理", "practice", 4, "测量血压体温"),
        ("中老年人家庭护理", "field_visit", 8, "参观养老院"), ("中老年人家庭护理", "practice", 4, "压疮预防"),
        ("中老年人家庭护理", "lecture", 4, "失智老人的陪伴"), ("中老年人家庭护理", "practice", 4, "急救常识"),
        ("钟点工", "practice", 4, "老年人膳食"), ("中老年人家庭护理", "practice", 4, "综合练习"),
        ("中老年人家庭护理", "practice", 4, "考前操作练习"), ("家庭保洁", "practice", 4, "居室整理"),
    ),
    "YS": _COMMON + (
        ("如何当好月嫂", "lecture", 4, "产妇的生理变化"), ("如何当好月嫂", "lecture", 4, "月子餐"),
        ("如何当好月嫂", "demonstration", 4, "新生儿洗澡"), ("如何当好月嫂", "practice", 4, "母乳喂养指导"),
        ("如何当好月嫂", "practice", 4, "产妇护理"), ("科学看护婴幼儿", "practice", 4, "新生儿抚触"),
        ("如何当好月嫂", "field_visit", 8, "参观妇幼保健院"), ("如何当好月嫂", "practice", 4, "黄疸与脐带护理"),
        ("科学看护婴幼儿", "lecture", 4, "新生儿常见问题"), ("如何当好月嫂", "practice", 4, "产后恢复操"),
        ("钟点工", "practice", 4, "月子汤品"), ("如何当好月嫂", "practice", 4, "综合练习"),
        ("如何当好月嫂", "practice", 4, "考前操作练习"), ("家庭保洁", "practice", 4, "母婴用品消毒"),
    ),
}
RETRAINING_SESSIONS = {  # what a re-exam candidate revises, per part
    "theory": ("职业道德", "lecture", 4, "理论复习：职业道德与法规"),
    "practical": (None, "practice", 4, "技能操作强化练习"),  # None: the track's main module
}
TRACK_MAIN_MODULE = {"GEN": "家庭保洁", "YY": "科学看护婴幼儿", "YL": "中老年人家庭护理",
                     "YS": "如何当好月嫂"}

UNION_PROVIDER = "市总工会职工技能培训中心"
COMPANY_PROVIDERS = {"GEN": "巾帼家政服务有限公司", "YY": "贝贝佳育婴服务中心",
                     "YL": "夕阳红养老服务有限公司", "YS": "好月嫂母婴护理有限公司"}
LOCATIONS = ("市妇联培训中心二楼教室", "市妇联培训中心实训室", "武陵区妇女儿童活动中心")
EXAM_PLACES = ("市妇联培训中心考场", "市妇联培训中心实训室")

SELF_STUDY_CONTENT = ("阅读《家政服务员》教材第{n}章", "观看培训视频并做笔记", "在家练习{m}",
                      "复习{m}课堂笔记", "与同学交流{m}经验", "完成{m}练习题")
REJECTION_REASONS = ("内容与课程无关", "同一天重复登记", "时长与内容不符，请重新登记")
WITHDRAWAL_REASONS = ("家中老人生病，退出培训", "已找到工作，退出培训", "外出务工，退出培训")
REVOCATION_REASONS = ("经查考试时由他人代考，撤销证书", "身份信息与本人不符，撤销证书")
HEALTH_ISSUERS = ("常德市疾病预防控制中心", "武陵区卫生健康局体检中心", "鼎城区疾病预防控制中心")

# Placement: employer types and job types by track (篇4: 家庭保洁, 老人照料, 母婴护理 …).
EMPLOYERS = {
    "GEN": (("household", 55), ("company", 38), ("other", 7)),
    "YY": (("household", 80), ("company", 20)),
    "YL": (("elderly_care", 50), ("household", 35), ("hospital", 15)),
    "YS": (("household", 70), ("hospital", 20), ("company", 10)),
}
JOB_TYPES = {"GEN": ("家庭保洁", "钟点工", "做饭保姆"), "YY": ("育婴员", "婴幼儿看护"),
             "YL": ("老人照料", "病患陪护"), "YS": ("月嫂", "母婴护理")}
WAGES = {"GEN": (1800, 3200), "YY": (3000, 5000), "YL": (2200, 3800), "YS": (4000, 8000)}
EMPLOYER_NAMES = {
    "company": ("巾帼家政服务有限公司", "好帮手家政服务公司", "诚信家政服务部", "安居保洁服务公司"),
    "elderly_care": ("夕阳红养老院", "武陵区社会福利院", "康乐老年公寓", "鼎城区颐养中心"),
    "hospital": ("市第一人民医院", "市妇幼保健院", "市中医医院"),
    "other": ("阳光物业管理公司", "常德宾馆"),
}
HOUSEHOLD_CONTACTS = ("先生", "女士")
FEEDBACK_COMMENTS = {
    5: ("做事细心，老人很满意", "非常专业，宝宝带得很好", "勤快干净，准时守信", "服务热情周到"),
    4: ("整体不错，做饭口味还需适应", "认真负责", "沟通顺畅，满意"),
    3: ("一般，个别细节需要提醒", "基本满意"),
    2: ("经常迟到", "卫生打扫不够仔细"),
    1: ("多次沟通无改善，已更换人员",),
}
FEEDBACK_GIVERS = ("雇主本人", "雇主家属", "用人单位负责人")
CORRECTION_REASON = "复核试卷发现加分错误，技能操作成绩更正"
REVIEW_REASON = "已发布成绩更正后不再合格，请核查证书"


def weighted(rng: random.Random, pairs) -> object:
    """Pick the first element of one (value, weight, …) tuple by its last element."""
    return rng.choices([p[0] for p in pairs], weights=[p[-1] for p in pairs])[0]


def person_name(rng: random.Random, gender: str) -> str:
    """A common Chinese name: surname plus one or two given characters."""
    given = FEMALE_GIVEN if gender == "F" else MALE_GIVEN
    return rng.choice(SURNAMES) + rng.choice(given)


def address(rng: random.Random, region_name: str, origin: str) -> str:
    """A plausible home address in the region: a village for rural trainees, an estate otherwise."""
    if origin == "rural":
        return f"常德市{region_name}{rng.choice(TOWNS)}{rng.choice('东南西北')}{rng.randint(1, 12)}组"
    return (f"常德市{region_name}{rng.choice(STREETS)}{rng.choice(ESTATES)}"
            f"{rng.randint(1, 30)}栋{rng.randint(1, 6)}0{rng.randint(1, 4)}室")
