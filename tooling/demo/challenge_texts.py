"""The demo's 揭榜挂帅 challenges: one at every stage, in the 淮安 counties' own industries.

Each spec names the posting enterprise by its demo login, the stage it is at and the teams (by the
demo login of the researcher who applies) that applied. ``demo/challenges.py`` turns them into rows.
"""

from __future__ import annotations

from typing import Any

PAYMENT_60_40 = "合同签订后拨付悬赏金额的60%，通过验收后拨付其余40%。"
PAYMENT_3_STAGE = "合同签订后拨付60%，中期检查通过后拨付20%，通过验收后拨付20%。"
CONDITIONS = (
    "牵头单位应为具有独立法人资格的高校、科研院所或企业，近三年在相关领域有研究基础；鼓励产学研联合揭榜。"
)
COMMITMENT = (
    "我单位及团队承诺：按榜单要求如期完成全部核心指标，经费专款专用；如未完成，接受发榜单位和主管部门的处理。"
)

SPECS: list[dict[str, Any]] = [
    {
        "stage": "draft",
        "poster": "qiye.jinhu",
        "title": "超声波流量计小流量段计量精度提升",
        "fields": ["instrument.flow"],
        "keywords": ["超声波流量计", "小流量", "计量精度"],
        "chain": "智能仪器仪表",
        "background": "公司DN50以下超声波流量计在小流量段误差偏大，影响在城镇供热计量项目中的中标。",
        "problem": "在0.1～1 m³/h小流量段将示值误差控制在±1%以内，并保持批量一致性。",
        "indicators": [("小流量段示值误差", "<=", 1, "%")],
        "months": None,  # the intake check reports what is still missing
        "ip": None,
        "bounty": (60, None),
        "payment": "",
    },
    {
        "stage": "submitted",
        "poster": "qiye.xuyi",
        "title": "凹凸棒石黏土高值化改性及规模化制备技术",
        "fields": ["materials.inorganic"],
        "keywords": ["凹凸棒石", "改性", "规模化制备"],
        "chain": "凹土新材料",
        "background": "盱眙凹凸棒石资源丰富，但目前以初级产品为主，附加值低。",
        "problem": "开发凹凸棒石提纯与有机改性工艺，产品比表面积不低于220 m²/g，吨产品能耗下降20%以上。",
        "indicators": [("比表面积", ">=", 220, "m²/g"), ("吨产品能耗降幅", ">=", 20, "%")],
        "months": 24,
        "ip": "shared",
        "bounty": (200, 80),
        "payment": PAYMENT_60_40,
    },
    {
        "stage": "rejected",
        "poster": "qiye.lianshui",
        "title": "高强度聚酯工业丝低能耗纺丝工艺",
        "fields": ["fiber.high_performance"],
        "keywords": ["聚酯工业丝", "纺丝", "节能"],
        "chain": "纤维新材料",
        "background": "企业现有工业丝生产线能耗偏高。",
        "problem": "降低纺丝能耗。",
        "indicators": [("单位产品综合能耗降幅", ">=", 15, "%")],
        "months": 18,
        "ip": "poster",
        "bounty": (150, None),
        "payment": PAYMENT_60_40,
        "reject_reason": (
            "技术问题描述过于笼统：请补充现有工艺参数、断裂强度等产品指标要求，并说明能耗的测算口径。"
        ),
    },
    {
        "stage": "published",
        "poster": "qiye.jinhu",
        "title": "高温高压差压变送器长期稳定性提升技术攻关",
        "fields": ["instrument.pressure_temp", "instrument.sensor"],
        "keywords": ["差压变送器", "长期稳定性", "高温高压"],
        "chain": "智能仪器仪表",
        "background": "石化、电力客户要求变送器在高温高压工况下长期免校准运行，现有产品年漂移偏大。",
        "problem": "研制适用于150℃、40 MPa工况的差压变送器，年稳定性优于±0.1%URL，并完成小批量试制。",
        "indicators": [
            ("年稳定性", "<=", 0.1, "%URL"),
            ("工作温度上限", ">=", 150, "℃"),
            ("静压", ">=", 40, "MPa"),
        ],
        "months": 18,
        "ip": "shared",
        "bounty": (300, 100),
        "payment": PAYMENT_60_40,
        "applicants": [("keyan", ["江苏电子信息职业学院"], "submitted"), ("keyan.nanjing", [], "draft")],
    },
    {
        "stage": "reviewing",
        "poster": "qiye.hongze",
        "title": "盐穴储气库腔体稳定性监测与评价技术",
        "fields": ["chemical.salt", "instrument.sensor"],
        "keywords": ["盐穴", "储气库", "稳定性监测"],
        "chain": "盐化工",
        "background": "洪泽盐矿采卤形成的盐穴拟改建为储气库，需要腔体长期稳定性监测手段。",
        "problem": "建立盐穴腔体变形与微地震在线监测系统及稳定性评价模型，形成可推广的技术规范。",
        "indicators": [("微地震事件定位误差", "<=", 5, "m"), ("监测系统连续运行", ">=", 365, "天")],
        "months": 24,
        "ip": "negotiated",
        "bounty": (400, 200),
        "payment": PAYMENT_3_STAGE,
        "blind": True,
        "applicants": [
            ("keyan001", ["淮安市农业科学研究院"], "submitted"),
            ("keyan014", [], "submitted"),
            ("keyan017", [], "submitted"),
        ],
    },
    {
        "stage": "publicity",
        "poster": "qiye.huaian",
        "title": "车规级功率模块封装散热关键技术",
        "fields": ["electronics.power_devices", "electronics.smt"],
        "keywords": ["功率模块", "封装", "散热"],
        "chain": "电子信息",
        "background": "新能源汽车电控对功率模块的热阻和可靠性提出更高要求。",
        "problem": "开发双面散热功率模块封装工艺，结-壳热阻较现有产品降低30%，通过AQG 324可靠性考核。",
        "indicators": [("结-壳热阻降幅", ">=", 30, "%"), ("功率循环次数", ">=", 50000, "次")],
        "months": 18,
        "ip": "team",
        "bounty": (350, 150),
        "payment": PAYMENT_60_40,
        "applicants": [("keyan.nanjing", ["南京邮电大学"], "submitted"), ("keyan003", [], "submitted")],
    },
    {
        "stage": "awarded",
        "poster": "qiye.jinhu",
        "title": "油气井井下多参数智能传感器研制",
        "fields": ["instrument.sensor", "equipment.petroleum"],
        "keywords": ["井下传感器", "多参数", "耐高温"],
        "chain": "石油机械",
        "background": "油田对井下温度、压力、流量一体化实时监测需求迫切，进口产品价格高、供货周期长。",
        "problem": "研制耐温175℃的井下温度、压力、流量三参数一体化传感器，连续工作不少于1年。",
        "indicators": [
            ("耐温", ">=", 175, "℃"),
            ("压力测量精度", "<=", 0.05, "%FS"),
            ("连续工作时间", ">=", 12, "月"),
        ],
        "months": 18,
        "ip": "shared",
        "bounty": (500, 200),
        "payment": PAYMENT_3_STAGE,
        "applicants": [("keyan", ["淮阴师范学院"], "submitted"), ("keyan018", [], "submitted")],
    },
    {
        "stage": "finished",
        "poster": "qiye.qingjiangpu",
        "title": "工业视觉表面缺陷检测算法国产化替代",
        "fields": ["it.ai", "equipment.intelligent"],
        "keywords": ["机器视觉", "缺陷检测", "深度学习"],
        "chain": "智能制造",
        "background": "企业产线缺陷检测依赖进口视觉软件，授权费用高、二次开发受限。",
        "problem": "开发自主可控的表面缺陷检测算法与软件，检出率不低于99.5%，误报率不高于0.5%。",
        "indicators": [("缺陷检出率", ">=", 99.5, "%"), ("误报率", "<=", 0.5, "%")],
        "months": 12,
        "ip": "team",
        "bounty": (200, 100),
        "payment": PAYMENT_60_40,
        "mode": "race",
        "max_winners": 2,
        "applicants": [
            ("keyan002", [], "submitted"),
            ("keyan.nanjing", [], "submitted"),
            ("keyan013", [], "submitted"),
        ],
    },
]

MILESTONES: list[dict[str, Any]] = [
    {"title": "方案设计与关键技术验证", "share": 0.35, "deliverable": "技术方案、关键技术验证报告"},
    {"title": "样机研制与测试", "share": 0.4, "deliverable": "样机及第三方检测报告"},
    {"title": "小批量试制与现场应用", "share": 0.25, "deliverable": "小批量产品、用户应用报告"},
]
OBJECTION_TEXT = "拟揭榜单位提交的研究基础中所列专利与榜单方向关联度不高，建议复核其研究基础的真实性。"
OBJECTION_NOTE = "经核查，所列发明专利与功率模块散热结构直接相关，异议不成立。"
FAILURE_NOTE = (
    "团队按计划完成算法研发，误报率指标未达到要求；"
    "经专家组认定已履行勤勉尽责义务，按容错机制处理，不影响后续申报。"
)
