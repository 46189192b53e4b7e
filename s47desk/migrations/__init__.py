"""Alembic migrations: every schema change gets one. HEAD names the newest revision.

Keeping HEAD here lets start-up see an up-to-date database without importing Alembic (~0.5 s);
a test asserts it matches Alembic's own idea of the head.
"""

HEAD = "0004"
