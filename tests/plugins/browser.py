"""Fixtures for browser (owned by the browser work)."""
