"""s47desk: chair and record multi-agency strategy discussions (section 47, Children Act 1989)."""

__version__ = "0.1.0"
