"""The words the phone pages' JavaScript shows, translated on the server (no JS catalog to fetch)."""

from __future__ import annotations

from django.utils.translation import gettext as _


def mobile_strings() -> dict[str, str]:
    return {
        "offline": _("No signal: what you do is kept on the phone and sent later."),
        "waiting": _("Waiting to send: %(count)s"),
        "failed": _("Could not be sent: %(count)s"),
        "signIn": _("Sign in again to send what is waiting."),
        "queued": _("Saved on the phone; it will be sent when there is a signal."),
        "sent": _("Sent."),
        "sending": _("Sending…"),
        "newDirective": _("New directive from the centre"),
        "urgentDirective": _("URGENT directive from the centre"),
        "open": _("Open"),
        "comment": _("A leader commented on your diary"),
        "caseUpdate": _("A case of yours has moved on"),
        "confirmSignOut": _("%(count)s items have not been sent yet. Sign out anyway? They will be lost."),
        "locating": _("Finding your position…"),
        "noGps": _("The phone gives no position: move the pin on the map, or allow location."),
        "accuracy": _("accurate to %(metres)s m"),
        "outside": _("This point is outside the city's grids."),
        "gridUnknown": _("The grid will be found when the report is sent."),
        "searching": _("Searching…"),
        "noMatch": _("No sub-item matches."),
        "pickCategory": _("Choose what kind of problem it is."),
        "needPlace": _("The position is missing."),
        "needDescription": _("Describe the problem."),
        "needAfterPhoto": _("Add a photo of the result."),
        "needResident": _("Give the resident's name."),
        "onPatrol": _("On patrol"),
        "notOnPatrol": _("Not on patrol"),
        "pointsWaiting": _("%(count)s points waiting"),
        "confirmStop": _("Stop the patrol?"),
        "discard": _("Discard"),
        "sendNow": _("Send now"),
        "empty": _("Nothing is waiting."),
        "kind_report": _("Report"),
        "kind_errand": _("Errand"),
        "kind_self_resolve": _("Solved on the spot"),
        "kind_link": _("Link to patrol"),
        "kind_patrol_start": _("Patrol start"),
        "kind_points": _("Track points"),
        "kind_patrol_stop": _("Patrol stop"),
        "kind_diary": _("Diary entry"),
        "kind_read": _("Directive read"),
        "kind_reply": _("Reply"),
        "kind_verify": _("Check on site"),
        "kind_note": _("Note"),
    }
