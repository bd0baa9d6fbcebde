"""The English event pack: spaCy's parse read with the English codebook.

One folder, one concern a file: ``codebook.toml`` (the words), `words` (the lists and parser
labels the rules name), `triggers` (finding codebook words in a sentence), `syntax` (small
predicates over spaCy's tree), `clause` (the clause around a trigger), `commands` (imperatives,
verbless demands, wishes), `modality` (the rule table), `targets` (who or what an act is aimed
at, and what silences a trigger), `read` (a trigger to a draft finding). The core
(`redline.detect.core`) assembles the finding.
"""

from redline.detect.en.read import EnglishEvents

__all__ = ["EnglishEvents"]
