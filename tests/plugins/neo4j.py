"""Fixtures for neo4j (owned by the neo4j work)."""
