"""Causes of the later challenge stages (kind ``challenge``): review, 公示, award (挂帅) and delivery.

References name the object (``assignment/3``, ``objection/5``, ``milestone/9``...); where the same
object can be notified again for a new step, the reference carries a suffix after ``@`` (a time
stamp or a due date), so each step is delivered once. Experts in blind review hear only the
challenge's title, never the applicant's name.
"""

from __future__ import annotations

from matchmaker.notifications.causes.challenge_stage_loaders import (
    load_assignment,
    load_assignment_for_staff,
    load_awarded,
    load_objection_filed,
    load_objection_handled,
    load_publicity,
    loader_for,
)
from matchmaker.notifications.causes.challenges import register_challenge_cause

register_challenge_cause(
    "challenge.review_assigned",
    "【评审任务】请评审揭榜挂帅榜单《{{ title }}》的申请",
    ("您被邀请评审揭榜挂帅榜单《{{ title }}》的一份揭榜申请。", "请登录平台查看申请材料并按评审指标打分。"),
    "您有新的揭榜挂帅评审任务《{{ title }}》，请登录平台评审。",
    load_assignment,
)
register_challenge_cause(
    "challenge.review_submitted",
    "【评审进展】专家已提交《{{ title }}》的评审意见",
    ("专家{{ expert }}已提交揭榜挂帅榜单《{{ title }}》的一份评审意见。",),
    "《{{ title }}》有专家提交了评审意见。",
    load_assignment_for_staff,
)
register_challenge_cause(
    "challenge.review_declined",
    "【评审进展】专家谢绝了《{{ title }}》的评审任务",
    ("专家{{ expert }}谢绝了揭榜挂帅榜单《{{ title }}》的一项评审任务，请另行分配。",),
    "《{{ title }}》有专家谢绝评审，请另行分配。",
    load_assignment_for_staff,
)
register_challenge_cause(
    "challenge.publicity",
    "【结果公示】揭榜挂帅榜单《{{ title }}》拟揭榜团队公示",
    (
        "揭榜挂帅榜单《{{ title }}》的评审已结束：{{ outcome }}。",
        "公示期至 {{ ends }}，如有异议请在公示期内提出。",
    ),
    "揭榜挂帅榜单《{{ title }}》拟揭榜团队已公示，请登录平台查看。",
    load_publicity,
)
register_challenge_cause(
    "challenge.objection_filed",
    "【异议】揭榜挂帅榜单《{{ title }}》收到公示异议",
    ("揭榜挂帅榜单《{{ title }}》在公示期内收到一条异议，请及时核查处理。",),
    "《{{ title }}》收到公示异议，请及时处理。",
    load_objection_filed,
)
register_challenge_cause(
    "challenge.objection_handled",
    "【异议处理】您对《{{ title }}》提出的异议已处理",
    ("您对揭榜挂帅榜单《{{ title }}》公示结果提出的异议已处理：{{ decision }}。", "处理意见：{{ note }}"),
    "您对《{{ title }}》提出的异议已处理，请登录平台查看。",
    load_objection_handled,
)
register_challenge_cause(
    "challenge.awarded",
    "【揭榜结果】揭榜挂帅榜单《{{ title }}》结果已确定",
    ("揭榜挂帅榜单《{{ title }}》的揭榜结果已确定：{{ outcome }}。",),
    "揭榜挂帅榜单《{{ title }}》结果已确定，请登录平台查看。",
    load_awarded,
)
register_challenge_cause(
    "challenge.progress_reported",
    "【项目进展】《{{ title }}》揭榜团队提交了进展报告",
    ("揭榜团队{{ team }}提交了《{{ title }}》的进展报告。",),
    "《{{ title }}》揭榜团队提交了进展报告。",
    loader_for("report", staff=True, poster=True),
)
register_challenge_cause(
    "challenge.milestone_submitted",
    "【节点成果】《{{ title }}》节点“{{ item }}”已提交",
    ("揭榜团队{{ team }}提交了《{{ title }}》节点“{{ item }}”的成果，请组织审核。",),
    "《{{ title }}》有节点成果待审核。",
    loader_for("milestone", staff=True, poster=True),
)
register_challenge_cause(
    "challenge.milestone_decided",
    "【节点审核】《{{ title }}》节点“{{ item }}”审核结果：{{ decision }}",
    ("您提交的《{{ title }}》节点“{{ item }}”成果审核结果：{{ decision }}。",),
    "《{{ title }}》节点成果已审核，请登录平台查看。",
    loader_for("milestone", team=True),
)
register_challenge_cause(
    "challenge.midterm_checked",
    "【中期检查】《{{ title }}》中期检查结论：{{ decision }}",
    ("《{{ title }}》中期检查结论：{{ decision }}。",),
    "《{{ title }}》中期检查结论已出，请登录平台查看。",
    loader_for("report", team=True, poster=True),
)
register_challenge_cause(
    "challenge.extension_requested",
    "【延期申请】《{{ title }}》揭榜团队申请延期至 {{ due }}",
    ("揭榜团队{{ team }}申请将《{{ title }}》的完成期限延至 {{ due }}，请审批。",),
    "《{{ title }}》揭榜团队提交了延期申请，请审批。",
    loader_for("extension", staff=True),
)
register_challenge_cause(
    "challenge.extension_decided",
    "【延期审批】《{{ title }}》延期申请{{ decision }}",
    ("您对《{{ title }}》提出的延期申请（至 {{ due }}）审批结果：{{ decision }}。",),
    "《{{ title }}》延期申请已审批，请登录平台查看。",
    loader_for("extension", team=True, poster=True),
)
register_challenge_cause(
    "challenge.tranche_paid",
    "【经费拨付】《{{ title }}》一期经费 {{ amount }} 万元已拨付",
    ("揭榜挂帅项目《{{ title }}》一期经费 {{ amount }} 万元已拨付，请注意查收。",),
    "《{{ title }}》一期经费已拨付，请注意查收。",
    loader_for("tranche", team=True),
)
register_challenge_cause(
    "challenge.acceptance_recorded",
    "【项目验收】《{{ title }}》验收结论：{{ decision }}",
    ("揭榜挂帅项目《{{ title }}》（揭榜团队：{{ team }}）验收结论：{{ decision }}。",),
    "《{{ title }}》验收结论已出，请登录平台查看。",
    loader_for("award", team=True, poster=True),
)
register_challenge_cause(
    "challenge.milestone_due",
    "【到期提醒】《{{ title }}》节点“{{ item }}”将于 {{ due }} 到期",
    (
        "揭榜挂帅项目《{{ title }}》（揭榜团队：{{ team }}）节点“{{ item }}”将于 {{ due }} 到期，"
        "请按期提交成果。",
    ),
    "《{{ title }}》节点将于近期到期，请按期提交成果。",
    loader_for("milestone", team=True, staff=True),
)
register_challenge_cause(
    "challenge.award_due",
    "【到期提醒】《{{ title }}》将于 {{ due }} 到期",
    ("揭榜挂帅项目《{{ title }}》（揭榜团队：{{ team }}）完成期限为 {{ due }}，请做好验收准备。",),
    "《{{ title }}》完成期限临近，请做好验收准备。",
    loader_for("award", team=True, staff=True),
)
