"""Folders and files are created owner-only, and a failure says why in plain words."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from s47desk.atomic import ExportError, atomic_write_bytes, make_folder


def test_make_folder_creates_private_nested_folders(tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "exports" / "SD-00001")
    assert folder.is_dir()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert make_folder(folder) == folder  # already there: fine


def test_make_folder_names_a_file_in_the_way(tmp_path: Path) -> None:
    (tmp_path / "exports").write_text("not a folder")
    with pytest.raises(ExportError) as error:
        make_folder(tmp_path / "exports" / "SD-00001")
    assert str(error.value) == (
        f"Could not create the folder {tmp_path / 'exports' / 'SD-00001'}: "
        "a file of that name is in the way."
    )


def test_writing_into_a_missing_folder_keeps_nothing_half_written(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="the folder does not exist"):
        atomic_write_bytes(tmp_path / "missing" / "record.docx", b"data")
    assert not (tmp_path / "missing").exists()
