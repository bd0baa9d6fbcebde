"""The Russian event pack: natasha's parse (universal dependencies) read with the Russian
codebook.

The same shape as the English pack: ``codebook.toml`` (the words), `words` (the lists and
parser labels the rules name), `triggers`, `syntax`, `modality` (the clause and its rule
table), `targets` and `read`. The core (`redline.detect.core`) assembles the finding.
"""

from redline.detect.ru.read import RussianEvents

__all__ = ["RussianEvents"]
