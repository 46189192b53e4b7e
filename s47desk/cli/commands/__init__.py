"""The commands, one small module per group; each module lists its commands in COMMANDS."""
