"""redline: read political speech critically.

Marks up transcripts, speeches, articles and comment threads (English and Russian) with speaker
structure, entities with canonical names, escalation events and persuasion techniques -- every
mark with its exact span and a reason.  Runs offline.

    >>> import redline
    >>> analysis = redline.analyze("Host: Welcome.\\nIvan Petrov: Thank you.")
    >>> [s.speaker for s in analysis.segments]
    ['Host', 'Ivan Petrov']
"""

__version__ = "0.1.0"

__all__ = ["__version__", "analyze", "analyze_document"]


def __getattr__(name: str):
    """Import the engine on first use, so `redline schema` and `--help` start instantly."""
    if name in ("analyze", "analyze_document"):
        from redline import engine

        return getattr(engine, name)
    raise AttributeError(name)
