"""Demo accounts of the centre's own staff (DESIGN.md, "Demo accounts")."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from accounts.roles import Role, grant

CENTRE_ACCOUNTS = [
    ("admin", "系统管理员", "", Role.ADMIN),
    ("dispatcher", "指挥中心", "值班员", Role.DISPATCHER),
    ("leader", "中心", "领导", Role.LEADER),
]


def ensure_account(username: str, password_hash: str, *, last_name: str = "", first_name: str = ""):
    """Create the account once; a later run leaves it (and any password change) alone."""
    user, _created = get_user_model().objects.get_or_create(
        username=username,
        defaults={"password": password_hash, "last_name": last_name, "first_name": first_name},
    )
    return user


def seed(password: str, log) -> None:
    password_hash = make_password(password)
    for username, last_name, first_name, role in CENTRE_ACCOUNTS:
        user = ensure_account(username, password_hash, last_name=last_name, first_name=first_name)
        if role is Role.ADMIN and not user.is_superuser:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        grant(user, role)
    log(f"centre accounts: {', '.join(name for name, *_ in CENTRE_ACCOUNTS)}")
