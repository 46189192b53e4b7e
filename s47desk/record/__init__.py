"""The Word record of a strategy discussion: building, signing, verifying."""
