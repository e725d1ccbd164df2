from django.utils.functional import SimpleLazyObject

from notifications.services import unread_count


def unread(request):
    """``unread_notifications`` for the top bar: counted (from the cache) only if a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
