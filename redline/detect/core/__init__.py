"""The event core: what every language's event detector shares.

A language pack (``redline/detect/<lang>/``) finds triggers in its parser's sentences and reads
the clause around each one into a `Reading` with its named modality rules (`rules.apply`); it
hands the result to `findings.assemble` as a `Draft` of document offsets. The core turns drafts
into findings the same way for every language: evidence and its reasons, actor, targets and
the holder of a reported stance, the finding's span, severity on the ladder, CAMEO code and
calibrated confidence. Words live in the pack's ``codebook.toml``; actions in the vocabulary.
"""
