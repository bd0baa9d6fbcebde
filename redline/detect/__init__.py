"""Detectors: components of the ``detect`` stage that add findings and techniques."""
