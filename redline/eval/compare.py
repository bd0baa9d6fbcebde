"""Do a speech and its translation say the same? Align the findings of two analyses.

Findings are aligned in document order (translations keep the order of statements) by a
longest-common-subsequence over their actions, so a finding missing on one side does not shift
all the others.  A pair agrees when action and modality match and severities differ by at most
one; the agreement figure is agreeing pairs over the larger number of findings, so findings
without a partner count against it.
"""

from __future__ import annotations

from dataclasses import dataclass

from redline.document import Analysis, Finding


@dataclass(slots=True)
class Alignment:
    pairs: list[tuple[Finding | None, Finding | None]]

    @property
    def agreeing(self) -> int:
        return sum(1 for a, b in self.pairs if a is not None and b is not None and agree(a, b))

    @property
    def agreement(self) -> float:
        left = sum(1 for a, _ in self.pairs if a is not None)
        right = sum(1 for _, b in self.pairs if b is not None)
        total = max(left, right)
        return 1.0 if total == 0 else self.agreeing / total


def agree(a: Finding, b: Finding) -> bool:
    return a.action == b.action and a.modality == b.modality and abs(a.severity - b.severity) <= 1


WINDOW = 0.02  # a translation keeps a statement within 2% of the text of where it stood


def align(left: list[Finding], right: list[Finding], sizes: tuple[int, int] | None = None,
          window: float = WINDOW) -> Alignment:
    """Pair findings in order by a longest common subsequence over (action, modality).

    With ``sizes`` (the lengths of the two texts) two findings pair only when they stand at
    about the same relative place, within ``window`` of the text: otherwise an early "strike"
    pairs with one forty pages later and pushes the true partners apart.
    """
    n, m = len(left), len(right)

    def same(a: Finding, b: Finding) -> bool:
        if a.action != b.action:
            return False
        if sizes is None:
            return True
        # short texts: never less than about a sentence (300 characters) either way
        slack = max(window, 300 / max(min(sizes), 1))
        return abs(a.start / max(sizes[0], 1) - b.start / max(sizes[1], 1)) <= slack

    score = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            match = same(left[i], right[j])
            score[i][j] = max(score[i + 1][j], score[i][j + 1],
                              score[i + 1][j + 1] + (2 if match and agree(left[i], right[j])
                                                     else 1 if match else -1))
    pairs: list[tuple[Finding | None, Finding | None]] = []
    i = j = 0
    while i < n and j < m:
        match = same(left[i], right[j])
        gain = 2 if match and agree(left[i], right[j]) else 1 if match else -1
        if match and score[i][j] == score[i + 1][j + 1] + gain:
            pairs.append((left[i], right[j]))
            i, j = i + 1, j + 1
        elif score[i + 1][j] >= score[i][j + 1]:
            pairs.append((left[i], None))
            i += 1
        else:
            pairs.append((None, right[j]))
            j += 1
    pairs += [(f, None) for f in left[i:]] + [(None, f) for f in right[j:]]
    return Alignment(pairs)


def format_alignment(a: Analysis, b: Analysis, alignment: Alignment) -> str:
    """The aligned findings side by side and the agreement figure."""
    def cell(f: Finding | None) -> str:
        if f is None:
            return "—"
        quote = " ".join(f.text.split())[:48]
        return f"{f.action}/{f.modality}/{f.severity} “{quote}”"

    lines = [f"{a.document.source or a.document.id} ({a.document.language})  ⟷  "
             f"{b.document.source or b.document.id} ({b.document.language})"]
    for left, right in alignment.pairs:
        mark = "=" if left is not None and right is not None and agree(left, right) else "≠"
        lines.append(f" {mark} {cell(left):70} | {cell(right)}")
    total = max(sum(x is not None for x, _ in alignment.pairs),
                sum(y is not None for _, y in alignment.pairs))
    lines.append(f"agreement: {alignment.agreeing} of {total} findings "
                 f"({alignment.agreement:.0%}): same action and modality, severity within 1")
    return "\n".join(lines)
