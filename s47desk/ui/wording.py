"""Saying a group of findings once: the sentences every message shares are said once, after
them (three attendance findings repeat the minimum-attendance rule word for word)."""

from __future__ import annotations


def sentences(text: str) -> list[str]:
    parts, start = [], 0
    for i, c in enumerate(text):
        if c in ".?!" and (i + 1 == len(text) or text[i + 1] == " "):
            parts.append(text[start : i + 1].strip())
            start = i + 1
    if text[start:].strip():
        parts.append(text[start:].strip())
    return parts


def once(messages: list[str]) -> tuple[list[str], str]:
    """Each message without the sentences every message shares, and those sentences once."""
    if len(messages) < 2:
        return messages, ""
    split = [sentences(m) for m in messages]
    shared = [s for s in split[0] if all(s in other for other in split[1:])]
    if not shared:
        return messages, ""
    own = [" ".join(s for s in parts if s not in shared) or " ".join(parts) for parts in split]
    return own, " ".join(shared)
