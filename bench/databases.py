"""Benchmark databases: each benchmark writes its city once, into a database of its own."""

from __future__ import annotations

from django.db import connection


def use_database(name: str) -> str:
    """Switch the default connection to a benchmark database (created with the migrations if new)."""
    connection.close()
    settings_dict = connection.settings_dict
    settings_dict.setdefault("ORIGINAL_NAME", settings_dict["NAME"])
    settings_dict["NAME"] = settings_dict["ORIGINAL_NAME"]
    settings_dict["TEST"] = {**settings_dict.get("TEST", {}), "NAME": name}
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=True, serialize=False)
    return name
