"""Controlled vocabularies: ASCII snake_case codes mapped to the Chinese labels users read.

Each vocabulary is a read-only mapping in display order; store the code, show the label.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType


def _frozen(items: dict[str, str]) -> Mapping[str, str]:
    """A read-only view so no caller can change a shared vocabulary."""
    return MappingProxyType(items)


ORG_KINDS = _frozen(
    {
        "enterprise": "企业",
        "university": "高校",
        "institute": "科研院所",
        "agency": "服务机构",
        "bureau": "科技局",
    }
)

QUALIFICATIONS = _frozen(
    {
        "tech_sme": "科技型中小企业",
        "high_tech": "高新技术企业",
        "specialized_sme": "专精特新中小企业",
        "little_giant": "专精特新“小巨人”企业",
        "gazelle": "瞪羚企业",
        "unicorn": "独角兽企业",
        "innovation_leader": "创新型领军企业",
    }
)

NEED_TYPES = _frozen(
    {
        "key_technology": "关键技术攻关",
        "process_improvement": "工艺改进",
        "new_product": "新产品研发",
        "testing": "检验检测",
        "consulting": "技术咨询",
        "talent": "人才需求",
        "equipment_sharing": "设备共享",
        "tech_import": "成果引进",
        "digital_upgrade": "智能化改造与数字化转型",
        "standard": "标准制定",
        "other": "其他",
    }
)

COOP_MODES = _frozen(
    {
        "transfer": "技术转让",
        "license": "技术许可",
        "joint_development": "合作开发",
        "commissioned_development": "委托开发",
        "consulting_service": "技术咨询与技术服务",
        "joint_platform": "共建研发平台",
        "talent": "人才引进（科技副总）",
        "equity": "技术入股",
    }
)

MATURITY_STAGES = _frozen(
    {
        "lab": "实验室阶段",
        "bench": "小试",
        "pilot": "中试",
        "industrial": "产业化",
    }
)

IP_TYPES = _frozen(
    {
        "invention": "发明专利",
        "utility_model": "实用新型专利",
        "design": "外观设计专利",
        "software": "软件著作权",
        "ic_layout": "集成电路布图设计",
        "plant_variety": "植物新品种",
        "know_how": "技术秘密",
    }
)

ROLES = _frozen(
    {
        "enterprise": "企业用户",
        "researcher": "科研人员",
        "unit_admin": "单位科研管理员",
        "expert": "评审专家",
        "staff": "科技局工作人员",
        "admin": "系统管理员",
    }
)

TRL_MIN, TRL_MAX = 1, 9
TRL_RANGE = range(TRL_MIN, TRL_MAX + 1)

# Technology readiness levels (技术就绪度) as worded in GB/T 22900, shortened for display.
TRL_LEVELS: Mapping[int, str] = MappingProxyType(
    {
        1: "发现基本原理",
        2: "形成技术概念或应用设想",
        3: "关键功能通过分析和实验验证",
        4: "实验室环境中完成原理样机验证",
        5: "相关环境中完成部件或样机验证",
        6: "相关环境中完成系统样机演示",
        7: "实际环境中完成系统样机试验",
        8: "实际系统完成并通过验证",
        9: "实际系统经过批量应用考验",
    }
)

_STAGE_TRL: dict[str, tuple[int, int]] = {
    "lab": (1, 3),
    "bench": (4, 5),
    "pilot": (6, 7),
    "industrial": (8, 9),
}


def label(vocab: Mapping[str, str], code: str | None) -> str:
    """Chinese label for a code; an unknown code is shown as itself, None as ""."""
    if code is None:
        return ""
    return vocab.get(code, code)


def labels(vocab: Mapping[str, str], codes: list[str] | tuple[str, ...]) -> list[str]:
    """Chinese labels for several codes, in the order given."""
    return [label(vocab, code) for code in codes]


def valid_trl(trl: object) -> bool:
    """Whether the value is a whole technology readiness level from 1 to 9."""
    return isinstance(trl, int) and not isinstance(trl, bool) and trl in TRL_RANGE


def trl_range(stage: str) -> tuple[int, int]:
    """Lowest and highest readiness level of a maturity stage, e.g. "pilot" -> (6, 7)."""
    try:
        return _STAGE_TRL[stage]
    except KeyError:
        raise ValueError(f"unknown maturity stage: {stage!r}") from None


def stage_for_trl(trl: int) -> str:
    """Maturity stage a readiness level belongs to, e.g. 6 -> "pilot"."""
    if not valid_trl(trl):
        raise ValueError(f"readiness level must be 1-9, got {trl!r}")
    return next(stage for stage, (low, high) in _STAGE_TRL.items() if low <= trl <= high)


def trl_label(trl: int) -> str:
    """Display text such as "TRL 6：相关环境中完成系统样机演示"."""
    if not valid_trl(trl):
        raise ValueError(f"readiness level must be 1-9, got {trl!r}")
    return f"TRL {trl}：{TRL_LEVELS[trl]}"
