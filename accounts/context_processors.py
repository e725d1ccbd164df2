from accounts.roles import roles_of


def roles(request):
    """The signed-in user's roles, for menus that show only what the user may open."""
    held = roles_of(request.user) if hasattr(request, "user") else frozenset()
    return {"user_roles": sorted(held, key=lambda role: role.value)}
