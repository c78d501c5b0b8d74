"""The import templates' columns: Chinese header, schema field, whether required, how to read it."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass

from matchmaker.models.contracts.register import CONTRACT_TYPES
from matchmaker.reports.spreadsheets import Sheet, workbook_bytes
from matchmaker.taxonomy import vocab


@dataclass(frozen=True)
class Column:
    """One template column; `kind` says how a cell is turned into schema input."""

    key: str
    header: str
    required: bool
    note: str
    kind: str = "text"  # text | list | fields | vocab | vocab_list | number | date | bool
    vocab: Mapping[str, str] | None = None
    aliases: tuple[str, ...] = ()  # other headers meaning the same (exports from other systems)


def _contacts() -> tuple[Column, ...]:
    return (
        Column("contact_name", "联系人", False, "不填则为空；联系方式不会出现在公开汇编中"),
        Column("contact_phone", "联系电话", False, "11 位手机号"),
        Column("contact_email", "联系邮箱", False, "电子邮箱"),
    )


_FIELDS = Column(
    "fields", "产业领域", True, "领域名称或代码，多个用“；”分隔，最多 5 个，如：仪器仪表；传感器", "fields"
)
_KEYWORDS = Column("keywords", "关键词", False, "多个用“；”分隔，最多 12 个", "list")
_MODES = Column("modes", "合作方式", False, "多个用“；”分隔", "vocab_list", vocab.COOP_MODES)
_DETAIL = Column("detail", "详细说明", False, "仅登录用户可见，不进入公开汇编")

NEED_COLUMNS: tuple[Column, ...] = (
    Column("uscc", "企业统一社会信用代码", True, "18 位代码；企业须已在平台注册且位于您的辖区"),
    Column("title", "需求名称", True, "4～200 字；同一企业同名需求视为同一条，重复导入不会重复创建"),
    Column("summary", "需求概述", True, "公开展示，10～5000 字"),
    _DETAIL,
    _FIELDS,
    _KEYWORDS,
    Column("need_type", "需求类型", True, "填写名称或代码", "vocab", vocab.NEED_TYPES),
    _MODES,
    Column("budget_min", "预算下限（万元）", False, "数字", "number"),
    Column("budget_max", "预算上限（万元）", False, "数字，不低于下限", "number"),
    Column("deadline", "截止日期", False, "YYYY-MM-DD，不早于今天；不填为长期有效", "date"),
    Column("wanted_maturity", "期望成熟度", False, "填写名称或代码", "vocab", vocab.MATURITY_STAGES),
    *_contacts(),
)

OUTPUT_COLUMNS: tuple[Column, ...] = (
    Column("uscc", "单位统一社会信用代码", True, "18 位代码；高校院所或企业须已在平台注册且位于您的辖区"),
    Column("title", "成果名称", True, "4～200 字；同一单位同名成果视为同一条，重复导入不会重复创建"),
    Column("abstract", "成果简介", True, "公开展示，10～5000 字"),
    _DETAIL,
    _FIELDS,
    _KEYWORDS,
    Column("maturity", "成熟度", True, "填写名称或代码", "vocab", vocab.MATURITY_STAGES),
    Column("trl", "技术就绪度（TRL）", False, "1～9 的整数", "number"),
    _MODES,
    Column("price", "转让价格（万元）", False, "数字；不填为面议", "number"),
    Column("negotiable", "价格可议", False, "是 / 否，不填为是", "bool"),
    Column("team_lead", "团队负责人", False, "姓名"),
    Column("valid_until", "有效期至", False, "YYYY-MM-DD，不早于今天", "date"),
    *_contacts(),
)


def _party(side: str) -> tuple[Column, ...]:
    return (
        Column(f"{side}_name", f"{SIDE[side]}名称", True, "单位全称"),
        Column(
            f"{side}_uscc",
            f"{SIDE[side]}统一社会信用代码",
            False,
            "平台已注册单位据此关联",
            aliases=(f"{SIDE[side]}信用代码",),
        ),
        Column(
            f"{side}_region",
            f"{SIDE[side]}所在地区",
            True,
            "行政区划代码或名称，如 320831、金湖县、江苏省淮安市金湖县",
            aliases=(f"{SIDE[side]}所在地", f"{SIDE[side]}地区"),
        ),
    )


SIDE = {"buyer": "买方", "seller": "卖方"}
CONTRACT_COLUMNS: tuple[Column, ...] = (
    Column(
        "number",
        "合同登记号",
        True,
        "登记系统编号；已在台账中的合同不会重复导入",
        aliases=("登记号", "合同编号"),
    ),
    Column("name", "合同名称", True, "4～200 字", aliases=("项目名称",)),
    Column(
        "contract_type",
        "合同类型",
        True,
        "技术开发、技术转让、技术许可、技术咨询或技术服务",
        "vocab",
        CONTRACT_TYPES,
    ),
    Column("fields", "技术领域", False, "产业领域名称或代码；无法识别的领域不影响导入", "loose_fields"),
    *_party("buyer"),
    *_party("seller"),
    Column(
        "amount",
        "合同成交额（万元）",
        True,
        "数字",
        "number",
        aliases=("成交金额（万元）", "合同金额（万元）"),
    ),
    Column("trade_amount", "技术交易额（万元）", False, "数字，不大于合同成交额", "number"),
    Column("signed_on", "签订日期", False, "YYYY-MM-DD", "date", aliases=("合同签订日期",)),
    Column("registered_on", "登记日期", True, "YYYY-MM-DD", "date", aliases=("认定登记日期",)),
    Column("office", "登记机构", False, "技术合同登记机构名称", aliases=("登记点",)),
)

COLUMNS = {"need": NEED_COLUMNS, "output": OUTPUT_COLUMNS, "contract": CONTRACT_COLUMNS}
SHEET_TITLE = {"need": "技术需求", "output": "科技成果", "contract": "技术合同"}
GENERAL_NOTES = (
    "第一张工作表为数据表：第 1 行为列名（请勿修改），从第 2 行起每行一条信息。",
    "带“是”的列为必填；可选值列出了可以填写的名称（也可填写括号中的代码）。",
    "文件大小不超过 2 MB、不超过 2000 行；支持 .xlsx 与 UTF-8 或 GBK 编码的 .csv。",
    "请勿填写公式：单元格按文本读取，公式不会被执行。",
    "可先“试导入”（dry_run=true）检查每一行，再正式导入；有问题的行可下载后修改再导入。",
)


def _choices(column: Column) -> str:
    return "、".join(f"{label}（{code}）" for code, label in (column.vocab or {}).items())


def template_xlsx(kind: str) -> bytes:
    """The Excel template: an empty data sheet with the headers, and a 填写说明 sheet."""
    columns = COLUMNS[kind]
    data = Sheet(SHEET_TITLE[kind], [c.header for c in columns], [], widths=[18] * len(columns))
    rows = [[c.header, "是" if c.required else "否", c.note, _choices(c)] for c in columns]
    rows += [[], *[["说明", "", note, ""] for note in GENERAL_NOTES]]
    guide = Sheet("填写说明", ["列名", "必填", "填写要求", "可选值"], rows, widths=(22, 6, 60, 80))
    return workbook_bytes([data, guide])


def template_csv(kind: str) -> bytes:
    """The CSV template: the header row, UTF-8 with a BOM so Excel opens it in Chinese."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow([c.header for c in COLUMNS[kind]])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
