"""Kinerja: the SAKIP performance-accountability warehouse (pipeline steps shared by CLI, Airflow and tests)."""

__version__ = "0.1.0"
