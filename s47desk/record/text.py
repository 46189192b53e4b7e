"""Make users' text safe for a Word file without losing anything a reader could see.

python-docx refuses C0 control characters, U+FFFE/U+FFFF and lone surrogates (reliability
notes). What people paste from other programs carries them: Word's manual line break (U+000B)
and page break (U+000C) become line breaks here, other controls are dropped (they show nothing),
and a broken character becomes U+FFFD so the reader can see something was there.

Bidirectional override and isolate controls are dropped too: they show nothing, but they can
make a name or a date read differently from what was typed (U+202E), which a record that may
be read in court must not allow. Letters of right-to-left scripts are kept and still display
right to left.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"

_LINE_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n", "\x85": "\n", "\u2028": "\n"})
_PARAGRAPH_BREAK = "\u2029"
_DROPPED = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f"  # C0 controls except tab, line feed and carriage return; DEL
    "\u202a-\u202e\u2066-\u2069"  # bidirectional embeddings, overrides and isolates
    "]"
)
_NONCHARACTERS = re.compile("[\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str | None) -> str:
    """*text* with every character Word cannot store replaced, line breaks kept as ``\\n``."""
    if not text:
        return ""
    out = text.replace("\r\n", "\n").replace("\r", "\n").replace(_PARAGRAPH_BREAK, "\n\n")
    out = out.translate(_LINE_BREAKS)
    out = _DROPPED.sub("", out)
    return _NONCHARACTERS.sub(REPLACEMENT, out)


def one_line(text: str | None, limit: int = 0) -> str:
    """*text* made safe and folded onto one line (for table cells, headers and file names)."""
    out = " ".join(xml_safe(text).split())
    if limit and len(out) > limit:
        return out[: limit - 1].rstrip() + "…"
    return out
