"""The changes between two writings of a document applied to the file's own text."""

from __future__ import annotations

import bisect
import difflib
from collections import Counter

Opcode = tuple[str, int, int, int, int]
EXACT = 2_000
"""Stretches of at most this many lines are compared exactly (``difflib``, which takes
quadratic time on long stretches of repeated lines); longer ones are first split at the
lines both texts have once (patience diff)."""


def compose(original: str, before: str, after: str) -> str:
    """The changes from ``before`` to ``after`` applied to ``original``, of which ``before``
    is a reformatted copy: lines ``before`` writes as ``original`` does map one to one;
    a stretch it writes otherwise (a re-wrapped text) stays as ``original`` has it unless a
    change touches it. Comment and blank lines that a change removed without writing them
    elsewhere stay (an item's comment lines outlive the item)."""
    newline = "\r\n" if "\r\n" in original else "\n"
    if newline != "\n":
        before, after = before.replace("\n", newline), after.replace("\n", newline)
    o_lines = original.splitlines(keepends=True)
    b_lines = before.splitlines(keepends=True)
    a_lines = after.splitlines(keepends=True)
    same: dict[int, int] = {}
    stretch: dict[int, tuple[int, int, int, int]] = {}
    lost_at: dict[int, list[str]] = {}
    for tag, o1, o2, b1, b2 in opcodes(o_lines, b_lines):
        if tag == "equal":
            same.update({b1 + k: o1 + k for k in range(b2 - b1)})
        elif b1 == b2:  # lines the reformatted copy does not have at all (kept as they are)
            lost_at.setdefault(b1, []).extend(o_lines[o1:o2])
        else:
            for b in range(b1, b2):
                stretch[b] = (b1, b2, o1, o2)
    edits = opcodes(b_lines, a_lines)
    touched = {
        stretch[b][:2]
        for tag, e1, e2, _, _ in edits
        if tag != "equal"
        for b in (range(e1, e2) if e2 > e1 else range(e1 - 1, e1 + 1))
        if b in stretch and (e2 > e1 or stretch[b][0] < e1 < stretch[b][1])
    }
    surplus = _surplus(b_lines, a_lines)
    out: list[str] = []
    for tag, b1, b2, a1, a2 in edits:
        if tag == "equal":
            for b in range(b1, b2):
                out.extend(lost_at.get(b, ()))
                if b in same:
                    out.append(o_lines[same[b]])
                elif stretch[b][:2] in touched:
                    out.append(b_lines[b])
                elif b == stretch[b][0]:
                    out.extend(o_lines[stretch[b][2] : stretch[b][3]])
            continue
        for b in range(b1, b2):
            out.extend(lost_at.get(b, ()))
            line = o_lines[same[b]] if b in same else b_lines[b]
            if is_comment_or_blank(line) and surplus.get(line.strip(), 0) > 0:
                surplus[line.strip()] -= 1
                out.append(line)
        inserted = [_trimmed(line) for line in a_lines[a1:a2]]
        held = _comments_above(out, inserted) if tag == "insert" else []
        out.extend(inserted)
        out.extend(held)
    out.extend(lost_at.get(len(b_lines), ()))
    return "".join(out)


def _comments_above(out: list[str], inserted: list[str]) -> list[str]:
    """The comment and blank lines just written that belong below new lines: a new key is
    written after the comments that close the mapping it joins (they are about what comes
    next: the next section or item), so they are taken back, to follow the new lines. Only
    lines no deeper than the new ones (never the lines of a block text)."""
    first = next((line for line in inserted if line.strip()), None)
    if first is None:
        return []
    depth = len(first) - len(first.lstrip(" "))
    held: list[str] = []
    while out and is_comment_or_blank(out[-1]):
        line = out[-1]
        if line.strip() and len(line) - len(line.lstrip(" ")) > depth:
            break
        held.insert(0, out.pop())
    return held


def _trimmed(line: str) -> str:
    """A written line without the space ruamel.yaml leaves where it folds a long text (no
    reader keeps a space at the end of a folded line)."""
    body = line.rstrip("\r\n")
    return body.rstrip(" ") + line[len(body) :]


def is_comment_or_blank(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _surplus(before: list[str], after: list[str]) -> dict[str, int]:
    """Comment and blank lines ``before`` has more often than ``after``: the ones a change
    dropped (rather than moved)."""
    counts: dict[str, int] = {}
    for line in before:
        if is_comment_or_blank(line):
            counts[line.strip()] = counts.get(line.strip(), 0) + 1
    for line in after:
        if is_comment_or_blank(line) and line.strip() in counts:
            counts[line.strip()] -= 1
    return counts


def opcodes(a: list[str], b: list[str]) -> list[Opcode]:
    """``difflib.SequenceMatcher(a=a, b=b).get_opcodes()``, fast on long texts that differ
    little: the common start and end are cut off, and long stretches are split at the lines
    that occur once in each (in the same order), which a change rarely touches."""
    head = 0
    while head < len(a) and head < len(b) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < len(a) - head and tail < len(b) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    result: list[Opcode] = []
    if head:
        result.append(("equal", 0, head, 0, head))
    _middle(a, b, head, len(a) - tail, head, len(b) - tail, result)
    if tail:
        result.append(("equal", len(a) - tail, len(a), len(b) - tail, len(b)))
    return _merged(result)


def _middle(
    a: list[str], b: list[str], a1: int, a2: int, b1: int, b2: int, out: list[Opcode]
) -> None:
    if a1 == a2 and b1 == b2:
        return
    if (a2 - a1) + (b2 - b1) <= EXACT:
        matcher = difflib.SequenceMatcher(a=a[a1:a2], b=b[b1:b2], autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            out.append((tag, a1 + i1, a1 + i2, b1 + j1, b1 + j2))
        return
    anchors = _anchors(a, b, a1, a2, b1, b2)
    if not anchors:  # nothing to split at: compare coarsely rather than for minutes
        matcher = difflib.SequenceMatcher(a=a[a1:a2], b=b[b1:b2], autojunk=True)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            out.append((tag, a1 + i1, a1 + i2, b1 + j1, b1 + j2))
        return
    i, j = a1, b1
    for x, y in anchors:
        _middle(a, b, i, x, j, y, out)
        out.append(("equal", x, x + 1, y, y + 1))
        i, j = x + 1, y + 1
    _middle(a, b, i, a2, j, b2, out)


def _anchors(
    a: list[str], b: list[str], a1: int, a2: int, b1: int, b2: int
) -> list[tuple[int, int]]:
    """Lines once in each stretch, the longest run of them in the same order in both."""
    in_a = Counter(a[a1:a2])
    in_b = Counter(b[b1:b2])
    where = {line: j for j in range(b1, b2) if in_b[(line := b[j])] == 1}
    pairs = [(i, where[a[i]]) for i in range(a1, a2) if in_a[a[i]] == 1 and a[i] in where]
    tails: list[int] = []
    tail_at: list[int] = []
    before = [-1] * len(pairs)
    for index, (_, y) in enumerate(pairs):
        spot = bisect.bisect_left(tails, y)
        if spot == len(tails):
            tails.append(y)
            tail_at.append(index)
        else:
            tails[spot] = y
            tail_at[spot] = index
        before[index] = tail_at[spot - 1] if spot else -1
    chain = []
    index = tail_at[-1] if tail_at else -1
    while index >= 0:
        chain.append(pairs[index])
        index = before[index]
    return chain[::-1]


def _merged(codes: list[Opcode]) -> list[Opcode]:
    """Adjacent opcodes of one tag joined (as ``difflib`` gives them)."""
    out: list[Opcode] = []
    for code in codes:
        if code[1] == code[2] and code[3] == code[4]:
            continue
        if out and out[-1][0] == code[0] and out[-1][2] == code[1] and out[-1][4] == code[3]:
            last = out.pop()
            code = (code[0], last[1], code[2], last[3], code[4])
        out.append(code)
    return out
