"""Renderings of an analysis for people: a text summary (and, later, an HTML report)."""
