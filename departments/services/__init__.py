"""The departments' domain functions: appointing staff (the one place that links a user to a department)."""

from departments.services.staff import appoint, sync_roles

__all__ = ["appoint", "sync_roles"]
