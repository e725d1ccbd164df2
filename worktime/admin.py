from django.contrib import admin
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext_lazy as _

from worktime.choices import DaySource
from worktime.models import CalendarDay

# The admin index shows a warning when next year's calendar is missing in December
# (worktime/templates/worktime/admin_index.html extends Django's admin/index.html).
admin.site.index_template = "worktime/admin_index.html"


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "kind", "name", "is_working_day", "source"]
    list_filter = ["kind", "source", "is_working_day"]
    search_fields = ["name"]
    date_hierarchy = "date"
    readonly_fields = ["is_working_day", "source"]
    fields = ["date", "kind", "name", "is_working_day", "source"]

    @admin.display(description=_("weekday"), ordering="date")
    def weekday(self, obj: CalendarDay) -> str:
        return str(WEEKDAYS[obj.date.weekday()])  # 星期一…, in the page's language

    def save_model(self, request, obj, form, change):
        obj.source = DaySource.ADMIN
        super().save_model(request, obj, form, change)
