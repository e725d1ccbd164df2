"""``GET /console/cases/export/`` and ``GET /workbench/export/``: the list on the page, as a file.

The query is the page's own (filters, search, sort; the workbench's tab and department),
plus ``format`` (``xlsx`` by default, or ``csv``). The answer is the file, or, for a large
list, the export's page, which follows the worker (``exports``).
"""

from __future__ import annotations

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.views import View

from accounts.permissions import RoleRequiredMixin
from accounts.roles import CENTRE_ROLES, DEPARTMENT_ROLES, Role
from caselists import export
from exports.views import answer


class ExportView(RoleRequiredMixin, View):
    area = ""

    def get(self, request: HttpRequest) -> HttpResponseBase:
        params = request.GET.copy()
        fmt = params.pop("format", ["xlsx"])[-1]
        params.pop("page", None)
        return answer(
            export.request(request.user, self.area, params.urlencode(), fmt if fmt in export.FORMATS else "xlsx")
        )


class ConsoleExportView(ExportView):
    allowed_roles = CENTRE_ROLES
    area = "console"


class WorkbenchExportView(ExportView):
    allowed_roles = DEPARTMENT_ROLES | {Role.ADMIN}
    area = "workbench"
