"""Print where the platform listens and the demo accounts to sign in with."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Print the URL and the demo sign-ins."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000")

    def handle(self, *args, url, **options):
        users = get_user_model().objects
        out = self.stdout.write
        out(self.style.SUCCESS(f"\ngridcenter runs at {url}  (sign in at {url}/accounts/login/)"))
        out(f"Every demo account's password: {settings.DEMO_PASSWORD}  (DEMO_PASSWORD)")
        for name in ("admin", "dispatcher", "leader"):
            if users.filter(username=name).exists():
                out(f"  {name}")
        for prefix, meaning in (("officer-", "department officers"), ("head-", "department heads")):
            names = list(
                users.filter(username__startswith=prefix).order_by("username").values_list("username", flat=True)
            )
            if names:
                out(f"  {', '.join(names[:4])}{' …' if len(names) > 4 else ''}  ({len(names)} {meaning})")
        workers = users.filter(username__startswith="worker").order_by("username").values_list("username", flat=True)
        count = workers.count()
        if count:
            out(f"  {workers.first()} … {workers.last()}  ({count} grid workers)")
        out(f"Wall screen {url}/dashboard/  ·  API docs {url}/api/docs/  ·  health {url}/healthz\n")
