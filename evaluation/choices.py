"""Names of the evaluation: its figures (in the order of the definitions), bands, subjects."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
