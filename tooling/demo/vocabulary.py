"""Word lists the demo generator combines: people, firm names, counties, institutions, phrases.

Everything here is invented or public fact (university names, GB/T 2260 region codes); nothing is
copied from a dataset. Pinyin sits next to each Chinese word so e-mail addresses read naturally.
"""

from __future__ import annotations

from dataclasses import dataclass

CITY = "320800"  # 淮安市
DEMO_DOMAIN = "demo.matchmaker.cn"


@dataclass(frozen=True, slots=True)
class County:
    """A county or district of 淮安 with its leading industries (field codes) and bureau."""

    code: str
    short: str
    slug: str
    bureau: str
    fields: tuple[str, ...]
    enterprises: int
    prefixes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Institution:
    """A university or research institute that publishes outputs."""

    kind: str
    name: str
    region: str
    slug: str
    fields: tuple[str, ...]
    outputs: int
    researchers: int


COUNTIES: tuple[County, ...] = (
    County(
        "320831", "金湖", "jinhu", "金湖县科学技术局",
        ("instrument.flow", "instrument.pressure_temp", "instrument.level_valve",
         "equipment.petroleum", "instrument.sensor"),
        12, ("金湖", "江苏", "金湖"),
    ),
    County(
        "320830", "盱眙", "xuyi", "盱眙县科学技术局",
        ("materials.inorganic", "materials.coating", "food.aquatic", "agri.aquaculture"),
        11, ("盱眙", "江苏", "盱眙"),
    ),
    County(
        "320826", "涟水", "lianshui", "涟水县科学技术局",
        ("fiber.high_performance", "fiber.functional", "fiber.fiber_composite", "food.beverage"),
        10, ("涟水", "江苏", "涟水"),
    ),
    County(
        "320813", "洪泽", "hongze", "淮安市洪泽区科学技术局",
        ("chemical.salt", "energy.storage", "energy.pv", "eco.water"),
        9, ("洪泽", "江苏", "淮安"),
    ),
    County(
        "320803", "淮安区", "huaian", "淮安市淮安区科学技术局",
        ("electronics.pcb", "bio.chemical_drug", "equipment.intelligent"),
        9, ("淮安", "江苏", "淮安"),
    ),
    County(
        "320812", "清江浦", "qingjiangpu", "淮安市清江浦区科学技术局",
        ("electronics.pcb", "electronics.components", "bio.device", "equipment.robot",
         "it.industrial_internet"),
        12, ("淮安", "江苏", "淮安"),
    ),
)  # fmt: skip

CITY_BUREAU = "淮安市科学技术局"

# Real, public names of universities and institutes in 淮安 and 南京, placed in their districts.
INSTITUTIONS: tuple[Institution, ...] = (
    Institution("university", "淮阴工学院", "320812", "hyit",
                ("materials.inorganic", "materials.coating", "equipment.intelligent", "instrument.sensor",
                 "chemical.salt", "food.aquatic", "electronics.pcb", "instrument.flow"), 84, 6),
    Institution("university", "淮阴师范学院", "320812", "hytc",
                ("agri.aquaculture", "materials.inorganic", "electronics.components", "energy.pv",
                 "eco.water"), 40, 4),
    Institution("university", "江苏食品药品职业技术学院", "320812", "jsfp",
                ("food.aquatic", "food.beverage", "bio.chemical_drug"), 18, 2),
    Institution("university", "江苏电子信息职业学院", "320812", "jsei",
                ("electronics.pcb", "electronics.components", "it.industrial_internet"), 18, 2),
    Institution("university", "南京大学", "320106", "nju",
                ("materials.coating", "energy.pv", "bio.chemical_drug", "eco.water"), 30, 3),
    Institution("university", "东南大学", "320102", "seu",
                ("instrument.sensor", "electronics.components", "equipment.robot", "it.industrial_internet",
                 "energy.storage", "bio.device"), 36, 4),
    Institution("university", "南京理工大学", "320102", "njust",
                ("equipment.intelligent", "instrument.pressure_temp", "fiber.fiber_composite",
                 "materials.coating"), 26, 3),
    Institution("university", "南京航空航天大学", "320104", "nuaa",
                ("fiber.fiber_composite", "equipment.robot", "instrument.sensor", "equipment.intelligent"),
                26, 3),
    Institution("university", "河海大学", "320106", "hhu",
                ("instrument.flow", "instrument.level_valve", "energy.pv", "eco.water"), 26, 3),
    Institution("university", "南京工业大学", "320111", "njtech",
                ("chemical.salt", "materials.inorganic", "energy.storage", "fiber.functional",
                 "bio.chemical_drug", "equipment.petroleum"), 38, 4),
    Institution("university", "南京农业大学", "320102", "njau",
                ("agri.aquaculture", "food.aquatic", "food.beverage"), 24, 3),
    Institution("university", "南京林业大学", "320102", "njfu",
                ("fiber.functional", "materials.coating", "fiber.high_performance"), 20, 2),
    Institution("university", "中国药科大学", "320106", "cpu",
                ("bio.chemical_drug", "bio.device"), 22, 3),
    Institution("university", "南京信息工程大学", "320111", "nuist",
                ("instrument.sensor", "instrument.level_valve", "energy.pv", "it.industrial_internet"),
                22, 3),
    Institution("university", "南京邮电大学", "320113", "njupt",
                ("it.industrial_internet", "electronics.components", "instrument.sensor"), 20, 2),
    Institution("university", "南京工程学院", "320115", "njit",
                ("equipment.petroleum", "equipment.robot", "equipment.intelligent",
                 "instrument.pressure_temp", "fiber.high_performance"), 26, 3),
    Institution("institute", "江苏省农业科学院", "320102", "jaas",
                ("agri.aquaculture", "food.aquatic", "food.beverage"), 16, 2),
    Institution("institute", "中国科学院南京土壤研究所", "320102", "issas",
                ("materials.inorganic", "agri.aquaculture", "eco.water"), 10, 2),
    Institution("institute", "中国科学院南京地理与湖泊研究所", "320102", "niglas",
                ("agri.aquaculture", "eco.water"), 10, 2),
    Institution("institute", "淮安市农业科学研究院", "320812", "haas",
                ("agri.aquaculture", "food.aquatic"), 10, 2),
)  # fmt: skip

SURNAMES: tuple[tuple[str, str], ...] = (
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"),
    ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"), ("徐", "xu"), ("孙", "sun"),
    ("朱", "zhu"), ("胡", "hu"), ("郭", "guo"), ("何", "he"), ("高", "gao"), ("林", "lin"),
    ("罗", "luo"), ("郑", "zheng"), ("梁", "liang"), ("谢", "xie"), ("宋", "song"), ("唐", "tang"),
    ("韩", "han"), ("冯", "feng"), ("曹", "cao"), ("蒋", "jiang"), ("蔡", "cai"), ("丁", "ding"),
    ("沈", "shen"), ("顾", "gu"), ("陆", "lu"), ("范", "fan"), ("葛", "ge"), ("戴", "dai"),
)  # fmt: skip

GIVEN_NAMES: tuple[tuple[str, str], ...] = (
    ("建国", "jianguo"), ("海峰", "haifeng"), ("志强", "zhiqiang"), ("敏", "min"), ("静", "jing"),
    ("磊", "lei"), ("伟", "wei"), ("芳", "fang"), ("婷", "ting"), ("军", "jun"), ("勇", "yong"),
    ("杰", "jie"), ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("娟", "juan"), ("晓东", "xiaodong"),
    ("文博", "wenbo"), ("雪梅", "xuemei"), ("春燕", "chunyan"), ("立新", "lixin"), ("国华", "guohua"),
    ("红梅", "hongmei"), ("志刚", "zhigang"), ("晓峰", "xiaofeng"), ("宏伟", "hongwei"),
    ("永明", "yongming"), ("玉兰", "yulan"), ("浩然", "haoran"), ("思远", "siyuan"), ("雨婷", "yuting"),
    ("鹏飞", "pengfei"), ("俊杰", "junjie"), ("文静", "wenjing"), ("建华", "jianhua"), ("海燕", "haiyan"),
    ("卫东", "weidong"), ("振宇", "zhenyu"), ("嘉怡", "jiayi"), ("一帆", "yifan"),
)  # fmt: skip

# 字号 (trade names) for invented enterprises; well-known real brands are left out on purpose.
BRANDS: tuple[tuple[str, str], ...] = (
    ("华创", "huachuang"), ("恒信", "hengxin"), ("瑞达", "ruida"), ("博远", "boyuan"), ("汇通", "huitong"),
    ("金源", "jinyuan"), ("天成", "tiancheng"), ("宏图", "hongtu"), ("嘉禾", "jiahe"), ("科隆", "kelong"),
    ("润华", "runhua"), ("信达", "xinda"), ("永兴", "yongxing"), ("鑫盛", "xinsheng"), ("海川", "haichuan"),
    ("远航", "yuanhang"), ("凯瑞", "kairui"), ("盛泰", "shengtai"), ("华宇", "huayu"), ("安泰", "antai"),
    ("德润", "derun"), ("泰和", "taihe"), ("瑞丰", "ruifeng"), ("启明", "qiming"), ("明德", "mingde"),
    ("锦程", "jincheng"), ("恒泰", "hengtai"), ("华瑞", "huarui"), ("精诚", "jingcheng"), ("立信", "lixin"),
    ("同创", "tongchuang"), ("蓝湾", "lanwan"), ("绿源", "lvyuan"), ("清源", "qingyuan"), ("湖滨", "hubin"),
    ("淮扬", "huaiyang"), ("运河", "yunhe"), ("楚州", "chuzhou"), ("白马", "baima"), ("古淮", "guhuai"),
    ("翔宇", "xiangyu"), ("新亚", "xinya"), ("迈科", "maike"), ("卓越", "zhuoyue"), ("赛威", "saiwei"),
    ("普瑞", "purui"), ("康达", "kangda"), ("百川", "baichuan"), ("海纳", "haina"), ("苏淮", "suhuai"),
    ("佳源", "jiayuan"), ("和顺", "heshun"), ("鼎新", "dingxin"), ("丰华", "fenghua"), ("长盛", "changsheng"),
    ("东升", "dongsheng"), ("鸿运", "hongyun"), ("聚源", "juyuan"), ("昊天", "haotian"), ("久安", "jiuan"),
    ("天瑞", "tianrui"), ("澳科", "aoke"), ("中驰", "zhongchi"), ("森诺", "sennuo"), ("宇辰", "yuchen"),
    ("弘毅", "hongyi"), ("沃达", "woda"), ("恒达", "hengda"), ("华尔", "huaer"), ("盛源", "shengyuan"),
)  # fmt: skip

# Qualification code -> (share of enterprises holding it, first and last year it was granted).
QUALIFICATION_ODDS: dict[str, tuple[float, int, int]] = {
    "tech_sme": (0.85, 2019, 2025),
    "high_tech": (0.5, 2016, 2024),
    "specialized_sme": (0.3, 2020, 2025),
    "little_giant": (0.08, 2021, 2024),
    "gazelle": (0.06, 2020, 2024),
}

RESEARCHER_TITLES = ("教授", "教授", "副教授", "副教授", "研究员", "副研究员", "高级工程师", "讲师")
ENTERPRISE_TITLES = ("总经理", "技术总监", "研发部经理", "副总经理", "总工程师", "技术部长")
MOBILE_PREFIXES = (
    "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
    "157", "158", "159", "180", "181", "182", "187", "188", "189",
)  # fmt: skip
