"""A person's API tokens end when the account is deactivated or loses a role; sign-ins and
failed sign-ins (pages, admin, the API's token endpoint) go to the access record.

Connected in ``AccountsConfig.ready``. A role is a group (``accounts.roles``), so a role is
lost when a user leaves a role group (either side of the relation, one by one or all at
once), when a role group is deleted, or when a superuser stops being one (the admin role).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, User
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save

from accounts.models import AccessKind, TokenRevocation
from accounts.roles import Role
from accounts.services import access, tokens

_WAS_SUPERUSER = "_gridcenter_was_superuser"
ROLE_NAMES = [role.value for role in Role]


def remember_superuser(sender: type[User], instance: User, update_fields=None, **kwargs: Any) -> None:
    if instance.pk is None or (update_fields is not None and "is_superuser" not in update_fields):
        return
    before = User.objects.filter(pk=instance.pk).values_list("is_superuser", flat=True).first()
    setattr(instance, _WAS_SUPERUSER, bool(before))


def end_tokens_of_changed_user(sender: type[User], instance: User, update_fields=None, **kwargs: Any) -> None:
    was_superuser = instance.__dict__.pop(_WAS_SUPERUSER, False)
    if update_fields is None or "is_active" in update_fields:
        if not instance.is_active:
            tokens.revoke_all([instance.pk], TokenRevocation.DEACTIVATED)
            return
    if was_superuser and not instance.is_superuser:
        tokens.revoke_all([instance.pk], TokenRevocation.ROLE_REMOVED)


def end_tokens_on_role_removal(sender: Any, instance: Any, action: str, reverse: bool, pk_set, **kwargs: Any) -> None:
    if action not in {"post_remove", "pre_clear"}:
        return
    if not reverse:  # instance is a user; pk_set the groups removed (None when clearing all)
        groups = instance.groups.all() if pk_set is None else Group.objects.filter(pk__in=pk_set)
        if groups.filter(name__in=ROLE_NAMES).exists():
            tokens.revoke_all([instance.pk], TokenRevocation.ROLE_REMOVED)
    elif instance.name in ROLE_NAMES:  # instance is a group; pk_set the users removed
        user_ids = list(instance.user_set.values_list("pk", flat=True)) if pk_set is None else list(pk_set)
        tokens.revoke_all(user_ids, TokenRevocation.ROLE_REMOVED)


def end_tokens_on_role_deletion(sender: type[Group], instance: Group, **kwargs: Any) -> None:
    if instance.name in ROLE_NAMES:
        tokens.revoke_all(list(instance.user_set.values_list("pk", flat=True)), TokenRevocation.ROLE_REMOVED)


def record_login(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    access.record(AccessKind.LOGIN, request=request, user=user)


def record_login_failure(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    access.record(AccessKind.LOGIN_FAILED, request=request, username=str(credentials.get("username") or ""))


def connect() -> None:
    user_logged_in.connect(record_login, dispatch_uid="accounts.access.login")
    user_login_failed.connect(record_login_failure, dispatch_uid="accounts.access.login_failed")
    pre_save.connect(remember_superuser, sender=User, dispatch_uid="accounts.tokens.superuser")
    post_save.connect(end_tokens_of_changed_user, sender=User, dispatch_uid="accounts.tokens.user")
    m2m_changed.connect(end_tokens_on_role_removal, sender=User.groups.through, dispatch_uid="accounts.tokens.roles")
    pre_delete.connect(end_tokens_on_role_deletion, sender=Group, dispatch_uid="accounts.tokens.role_deleted")
