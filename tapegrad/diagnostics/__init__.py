"""Diagnostics: why a gradient is None, zero or NaN (see the diagnostics issue)."""
