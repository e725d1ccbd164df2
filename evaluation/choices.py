"""Names of the evaluation: its figures (in the order of the definitions), bands, subjects."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Figure(models.TextChoices):
    """A department's (or officer's, or area's) figures, in the definitions' order."""

    DUE = "due", _("Due")  # 应处置
    HANDLED = "handled", _("Handled")  # 处置
    ON_TIME = "on_time", _("Handled on time")  # 按期处置
    LATE = "late", _("Handled late")  # 超期处置
    OVERDUE_OPEN = "overdue_open", _("Overdue, not handled")  # 超期未处置
    RETURNED = "returned", _("Returned")  # 退回
    SHIRKED = "shirked", _("Shirked")  # 推诿
    REWORK = "rework", _("Rework")  # 返工
    URGED = "urged", _("Urged")  # 督办
    EXTENDED = "extended", _("Extended")  # 延期
    ON_HOLD = "on_hold", _("On hold")  # 挂账
    RATED = "rated", _("Rated")  # 回访
    SATISFIED = "satisfied", _("Satisfied")  # 满意
    BASICALLY_SATISFIED = "basically_satisfied", _("Basically satisfied")  # 基本满意
    DISSATISFIED = "dissatisfied", _("Dissatisfied")  # 不满意


class Rate(models.TextChoices):
    ON_TIME_RATE = "on_time_rate", _("On-time rate")  # 按期处置率
    HANDLED_RATE = "handled_rate", _("Handled rate")  # 处置率
    REWORK_RATE = "rework_rate", _("Rework rate")  # 返工率
    SATISFACTION_RATE = "satisfaction_rate", _("Satisfaction rate")  # 满意率


class Band(models.TextChoices):
    GREEN = "green", _("Excellent")  # 优秀
    YELLOW = "yellow", _("Good")  # 良好
    RED = "red", _("Needs improvement")  # 需整改


BAND_COLOURS = {Band.GREEN: "#67c23a", Band.YELLOW: "#e6a23c", Band.RED: "#f56c6c"}


class PeriodState(models.TextChoices):
    """Where a month stands: computed on request, or frozen by publication."""

    PROVISIONAL = "provisional", _("Provisional")  # 暂定
    PUBLISHED = "published", _("Published")  # 已发布


class AppealState(models.TextChoices):
    PENDING = "pending", _("Pending")  # 待裁决
    UPHELD = "upheld", _("Upheld")  # 申诉成立
    DISMISSED = "dismissed", _("Dismissed")  # 申诉不成立


# The counted items a department head may appeal (evaluation.md, "Appeals").
APPEALABLE_FIGURES = (Figure.SHIRKED, Figure.OVERDUE_OPEN, Figure.REWORK)


class WorkerFigure(models.TextChoices):
    """A grid worker's figures and rates, in the definitions' order (``evaluation.services.workers``)."""

    REPORTS = "reports", pgettext_lazy("evaluation", "Reports")  # 上报
    VALID_REPORTS = "valid_reports", pgettext_lazy("evaluation", "Valid reports")  # 有效上报
    SELF_RESOLVED = "self_resolved", pgettext_lazy("evaluation", "Solved on the spot")  # 自行处置
    VERIFICATIONS = "verifications", pgettext_lazy("evaluation", "Checks on site asked")  # 核查
    VERIFIED_ON_TIME = "verified_on_time", pgettext_lazy("evaluation", "Checked on site in time")  # 按时核查
    PATROL_DAYS_MET = "patrol_days_met", pgettext_lazy("evaluation", "Days patrolled enough")  # 巡查达标天数
    WORKING_DAYS = "working_days", pgettext_lazy("evaluation", "Working days")  # 工作日
    DIARY_ENTRIES = "diary_entries", pgettext_lazy("evaluation", "Diary entries")  # 民情日志
    ERRANDS_DONE = "errands_done", pgettext_lazy("evaluation", "Errands done")  # 代办
    VALID_RATE = "valid_rate", pgettext_lazy("evaluation", "Valid report rate")  # 有效上报率
    PATROL_RATE = "patrol_rate", pgettext_lazy("evaluation", "Patrol rate")  # 巡查达标率
    VERIFY_RATE = "verify_rate", pgettext_lazy("evaluation", "On-time check rate")  # 按时核查率
    SATISFACTION_RATE = "satisfaction_rate", pgettext_lazy("evaluation", "Satisfaction rate")  # 满意率


class CentreFigure(models.TextChoices):
    """The command centre's own figures (``evaluation.services.centre``)."""

    ACCEPTED = "accepted", pgettext_lazy("evaluation", "Accepted")  # 受理
    ACCEPTED_ON_TIME = "accepted_on_time", pgettext_lazy("evaluation", "Accepted in time")  # 按时受理
    DISPATCHED = "dispatched", pgettext_lazy("evaluation", "Dispatched")  # 派遣
    MISDISPATCHED = "misdispatched", pgettext_lazy("evaluation", "Misdispatched")  # 错派
    DISPATCH_ACCURACY = "dispatch_accuracy", pgettext_lazy("evaluation", "Dispatch accuracy")  # 准确派遣率
    REVIEWED = "reviewed", pgettext_lazy("evaluation", "Reviewed")  # 核查
    REVIEWED_ON_TIME = "reviewed_on_time", pgettext_lazy("evaluation", "Reviewed in time")  # 按时核查


class AreaFigure(models.TextChoices):
    """What township, community and grid rows add to the department figures (``evaluation.services.areas``)."""

    REPORTS_PER_WORKER = "reports_per_worker", pgettext_lazy("evaluation", "Reports per grid worker")  # 人均上报
    CASES_PER_1000 = "cases_per_1000", pgettext_lazy("evaluation", "Cases per 1,000 residents")  # 千人案件数
