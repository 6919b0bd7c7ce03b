"""The render API (see below)."""
