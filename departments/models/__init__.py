"""Departments and their officers."""

from departments.models.departments import Department, Officer

__all__ = ["Department", "Officer"]
