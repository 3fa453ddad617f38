"""The changes between two writings of a document applied to the file's own text."""

from __future__ import annotations

import difflib


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
    matcher = difflib.SequenceMatcher(a=o_lines, b=b_lines, autojunk=False)
    for tag, o1, o2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            same.update({b1 + k: o1 + k for k in range(b2 - b1)})
        elif b1 == b2:  # lines the reformatted copy does not have at all (kept as they are)
            lost_at.setdefault(b1, []).extend(o_lines[o1:o2])
        else:
            for b in range(b1, b2):
                stretch[b] = (b1, b2, o1, o2)
    edits = difflib.SequenceMatcher(a=b_lines, b=a_lines, autojunk=False).get_opcodes()
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
            if _is_comment_or_blank(line) and surplus.get(line.strip(), 0) > 0:
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
    while out and _is_comment_or_blank(out[-1]):
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


def _is_comment_or_blank(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _surplus(before: list[str], after: list[str]) -> dict[str, int]:
    """Comment and blank lines ``before`` has more often than ``after``: the ones a change
    dropped (rather than moved)."""
    counts: dict[str, int] = {}
    for line in before:
        if _is_comment_or_blank(line):
            counts[line.strip()] = counts.get(line.strip(), 0) + 1
    for line in after:
        if _is_comment_or_blank(line) and line.strip() in counts:
            counts[line.strip()] -= 1
    return counts
