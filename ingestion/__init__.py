"""Fetch and parse the sources of the Kinerja warehouse, one module per source system."""
