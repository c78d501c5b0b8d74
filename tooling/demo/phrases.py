"""Sentence templates for demo needs and outputs, filled from a Topic.

Placeholders: {o} product, {s} short problem, {t} target, {m} method, {scene} application scene,
{business} what the firm makes, {place} its county or district.
"""

from __future__ import annotations

# need type -> (share of needs, title templates, closing sentence of the summary, budget range 万元)
NEED_KINDS: dict[str, tuple[float, tuple[str, ...], str, tuple[int, int]]] = {
    "key_technology": (
        0.3, ("{o}{s}技术攻关", "{o}{s}关键技术难题", "面向{scene}的{o}{s}技术攻关"),
        "现面向高校院所寻求技术攻关合作，希望{t}。", (30, 300),
    ),
    "process_improvement": (
        0.18, ("{o}{s}工艺改进", "{o}{s}工艺优化"),
        "希望通过工艺改进，使{t}。", (10, 120),
    ),
    "new_product": (
        0.17, ("面向{scene}的新一代{o}开发", "{scene}用{o}新产品研发"),
        "计划面向{scene}市场开发新一代产品，要求{t}。", (50, 500),
    ),
    "tech_import": (
        0.08, ("寻求{o}{s}成熟技术", "引进{o}{s}技术成果"),
        "希望引进可直接转化的成熟技术成果，实现{t}。", (50, 800),
    ),
    "digital_upgrade": (
        0.08, ("{o}生产线智能化改造", "{o}生产过程数字化升级"),
        "计划对相关生产线进行智能化改造，同时实现{t}。", (100, 1000),
    ),
    "testing": (
        0.05, ("{o}性能检测与评价服务", "{o}第三方检测合作"),
        "需要建立相应的检测评价方法，验证产品能否达到以下指标：{t}。", (2, 20),
    ),
    "consulting": (
        0.05, ("{o}{s}技术咨询", "{o}{s}技术方案论证"),
        "希望专家团队到企业开展技术诊断并提出解决方案，目标是{t}。", (2, 30),
    ),
    "talent": (
        0.04, ("{o}研发方向科技副总招引", "诚聘{o}方向高校专家"),
        "拟柔性引进高校院所专家担任科技副总，牵头解决这一问题，目标是{t}。", (10, 50),
    ),
    "standard": (
        0.03, ("{o}团体标准制定合作", "{o}产品标准研制"),
        "拟联合高校院所和检测机构制定团体标准，明确{o}关键指标，其中{t}。", (5, 30),
    ),
    "equipment_sharing": (
        0.02, ("{o}试验检测设备共享", "寻求{o}检测设备共享"),
        "需要借用或共享相关试验检测设备开展验证试验，目标是{t}。", (2, 20),
    ),
}  # fmt: skip

# Need types whose titles make no sense for a field (a waste stream has no production line).
EXCLUDED_NEED_KINDS: dict[str, frozenset[str]] = {
    "eco.water": frozenset({"new_product", "digital_upgrade", "testing", "standard", "equipment_sharing"}),
    "agri.aquaculture": frozenset({"new_product", "digital_upgrade", "testing", "equipment_sharing"}),
    "chemical.salt": frozenset({"new_product", "digital_upgrade"}),
    "energy.storage": frozenset({"digital_upgrade"}),
    "energy.pv": frozenset({"digital_upgrade"}),
    "it.industrial_internet": frozenset({"digital_upgrade"}),
}

NEED_MODES = {
    "key_technology": ("joint_development", "commissioned_development"),
    "process_improvement": ("commissioned_development", "joint_development", "consulting_service"),
    "new_product": ("joint_development", "commissioned_development", "joint_platform"),
    "tech_import": ("transfer", "license", "equity"),
    "digital_upgrade": ("commissioned_development", "consulting_service"),
    "testing": ("consulting_service",),
    "consulting": ("consulting_service",),
    "talent": ("talent", "joint_platform"),
    "standard": ("consulting_service", "joint_development"),
    "equipment_sharing": ("consulting_service",),
}
NEED_MATURITY = {
    "key_technology": ("bench", "pilot"),
    "tech_import": ("pilot", "industrial"),
    "new_product": ("bench", "pilot", "industrial"),
}

NEED_OPENINGS = (
    "我公司主要从事{business}的研发和生产。",
    "公司是一家专注于{business}的科技型企业，产品销往全国二十多个省市。",
    "本企业深耕{business}领域多年，是{place}重点培育的骨干企业。",
    "公司主营{business}，近年来订单增长较快。",
)
NEED_DETAIL = (
    "一、现状：目前{o}{issue}，{tried}。\n"
    "二、技术指标：{t}。\n"
    "三、现有条件：{facility}。\n"
    "四、合作设想：{modes}，预算{budget}，计划{months}个月内完成，{payment}。\n"
    "五、对接要求：产品图纸、工艺文件和生产数据需签署保密协议后提供。"
)
PAYMENTS = (
    "按里程碑分期支付",
    "首付30%，验收合格后付清",
    "可联合申报市级产学研合作项目共同争取资金支持",
    "费用可面议，长期合作优先",
)

OUTPUT_TITLES = (
    "基于{m}的{o}{s}技术",
    "{o}{s}关键技术",
    "{o}{s}关键技术及产业化",
    "{m}在{o}{s}中的应用",
    "面向{scene}的{o}{s}技术",
)
INNOVATIONS = (
    "突破了传统工艺的性能瓶颈",
    "建立了从材料、结构到工艺的完整技术方案",
    "形成了具有自主知识产权的核心算法和装置",
    "解决了工程化应用中的稳定性问题",
    "显著降低了生产成本和能耗",
)
VERIFIED_BY = {
    "lab": "经实验室测试",
    "bench": "经小试验证",
    "pilot": "经中试验证",
    "industrial": "经多家企业实际应用",
}
MATURITY_NOTES = {
    "lab": "目前处于实验室阶段，适合与企业开展合作开发。",
    "bench": "已完成小试，需要企业合作开展中试放大。",
    "pilot": "已完成中试，具备产业化条件。",
    "industrial": "已在{n}家企业实现产业化应用，技术成熟可靠。",
}
OUTPUT_DETAIL = (
    "一、核心技术：{m}的关键工艺参数、配方和控制程序（签署保密协议后提供）。\n"
    "二、验证数据：{t}；{scale}。\n"
    "三、转化方式：{modes}，{price}。\n"
    "四、团队与服务：{lead}团队共{team}人，可提供技术培训和{support}。"
)
SCALES = {
    "lab": "已制备实验室样品并完成性能测试",
    "bench": "已完成公斤级（小批量）小试，批次稳定",
    "pilot": "已在合作企业完成中试，连续运行三个月以上",
    "industrial": "已在生产线稳定运行一年以上",
}
SUPPORTS = ("一年的现场技术支持", "工艺调试服务", "后续联合攻关", "设备选型与产线设计咨询")
# Cooperation modes researchers offer, with how often each is ticked.
OUTPUT_MODES = {
    "transfer": 5,
    "license": 4,
    "joint_development": 5,
    "equity": 1,
    "consulting_service": 2,
    "commissioned_development": 2,
}
MATURITY_WEIGHTS = {"lab": 0.15, "bench": 0.25, "pilot": 0.35, "industrial": 0.25}
IMPACTS = (
    "制约了产品进入高端市场",
    "客户投诉较多，影响了公司的市场口碑",
    "导致生产成本居高不下",
    "与进口同类产品相比仍有明显差距",
    "已成为公司扩大产能的主要瓶颈",
    "影响了大客户订单的交付",
)
TRIED = (
    "公司技术团队自行尝试过调整工艺参数，效果不理想",
    "曾与外地一家研究所短期合作，未能彻底解决",
    "已委托第三方做过检测分析，初步找到问题原因，但缺少解决手段",
    "目前靠增加人工检验把关，成本高且不能根治",
)
FACILITIES = (
    "公司建有市级工程技术研究中心，配备常规检测设备",
    "公司有独立研发中心和中试车间，可提供试验场地和样品",
    "公司可提供生产线现场、历史运行数据和试验原料",
    "公司设有省级企业技术中心，可派技术骨干全程参与",
)
REJECT_REASONS: dict[str, tuple[str, ...]] = {
    "need": (
        "需求描述较笼统，请补充现有技术指标、期望达到的目标和已具备的条件后重新提交。",
        "公开摘要中包含具体工艺参数和客户信息，请移至保密详情后再提交。",
        "预算区间与需求内容差距较大，请核实后重新填写。",
        "所属产业领域选择有误，请按主要技术方向重新选择。",
    ),
    "output": (
        "成果简介缺少关键技术指标和应用情况，请补充后重新提交。",
        "知识产权信息不完整，请补充专利号或软件著作权登记号。",
        "成果简介涉及未公开的核心工艺参数，请移至保密详情后再提交。",
        "成熟度与技术就绪度填写不一致，请核实后重新提交。",
    ),
}
