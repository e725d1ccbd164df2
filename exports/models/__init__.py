"""Exports: one row per download asked for."""

from exports.models.exports import Export

__all__ = ["Export"]
