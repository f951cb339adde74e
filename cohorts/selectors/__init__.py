"""Reads of the cohorts app, one module per area."""
