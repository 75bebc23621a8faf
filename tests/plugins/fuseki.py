"""Fixtures for fuseki (owned by the fuseki work)."""
