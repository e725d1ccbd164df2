def display_name(user) -> str:
    """A person's name as Chinese writes it: family name first, no space (王芳).

    Falls back to the username for accounts without a name.
    """
    full = f"{user.last_name}{user.first_name}".strip()
    return full or user.get_username()
