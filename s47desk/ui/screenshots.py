"""Screenshots of the real window on the demo meetings: ``python -m s47desk.ui.screenshots DIR``.

Each step of the exploitation demo at 683×768 (half a laptop screen, beside the video call)
and 1366×768, light and dark, plus the named shots the README uses. Run offscreen
(``QT_QPA_PLATFORM=offscreen``) or under Xvfb. Uses a throwaway data and config folder, so the user's own meetings are never shown.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-").replace("--", "-")


def main(argv: list[str]) -> int:
    out = Path(argv[0] if argv else "docs/screenshots").resolve()
    out.mkdir(parents=True, exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="s47shots-"))
    os.environ["S47DESK_DATA"] = str(home / "data")
    os.environ["S47DESK_CONFIG"] = str(home / "config")
    os.environ.setdefault("S47DESK_TODAY", "2026-11-23")

    from PySide6.QtWidgets import QApplication

    from s47desk.application import Application
    from s47desk.ui.app import application, build_window
    from s47desk.ui.theme import apply_theme, set_text_scale

    qt = application()
    window = build_window(Application.open(db_url=f"sqlite:///{home / 's47desk.sqlite3'}"))
    window.show()

    def settle() -> None:
        for _ in range(5):
            QApplication.processEvents()

    def size(width: int, height: int) -> None:
        for _ in range(3):
            settle()
            window.resize(width, height)
        settle()

    def shot(name: str) -> None:
        settle()
        path = out / f"{name}.png"
        window.grab().save(str(path))
        print(path)

    by_form = {r.summary.form_id: r.summary.id for r in window.meeting_list.rows}
    # every step, at half a laptop screen (beside the video call) and a whole one, both palettes
    for dark in (False, True):
        apply_theme(qt, dark=dark)
        for width, height in ((683, 768), (1366, 768)):
            window.open_meeting(by_form["exploitation"])
            assert window.view is not None
            size(width, height)
            for index, step in enumerate(window.view.doc.form.steps, start=1):
                window.view.show_step(index - 1)
                size(width, height)
                palette = "dark" if dark else "light"
                shot(f"{width}x{height}-{palette}-step-{index}-{_slug(step.title)}")

    def view() -> Any:
        assert window.view is not None
        return window.view

    apply_theme(qt, dark=False)
    size(1366, 768)
    window.open_meeting(by_form["exploitation"])
    view().show_step(1)
    shot("main-window")
    size(683, 768)
    shot("half-screen")
    size(1366, 768)
    window.open_meeting(by_form["initial"])
    view().show_step(len(view().pages) - 1)
    shot("signed-record")
    _export_and_circulate(window, home, settle)
    shot("sign-and-circulate")
    window.open_meeting(by_form["pre_birth"])
    view().show_step(1)
    apply_theme(qt, dark=True)
    shot("dark-palette")
    apply_theme(qt, dark=False)
    set_text_scale(qt, 2.0)
    size(683, 768)
    view().show_step(6)
    size(683, 768)
    shot("text-200-percent")
    set_text_scale(qt, 1.0)
    window.close()
    window.app.close()
    return 0


def _export_and_circulate(window: Any, home: Path, settle: Callable[[], None]) -> None:
    """The signed demo meeting after "Export signed record" and "Circulate to agencies".

    A throwaway personal certificate stands in for the chair's; its key is unlocked directly,
    as the passphrase dialog would.
    """
    from s47desk.record.certificate import create_self_signed

    p12 = home / "config" / "signing" / "signing-certificate.p12"
    p12.parent.mkdir(parents=True, exist_ok=True)
    create_self_signed(
        p12,
        name="Priya Sandhu",
        role="Team manager",
        email="p.sandhu@northbridge.example",
        organisation="Northbridge City Council (fictional)",
        passphrase=b"screenshots only",
    )
    window.app.apply_settings(
        window.app.settings.with_changes(
            signing_certificate=str(p12),
            chair_name="Priya Sandhu",
            export_folder=str(home / "exports"),
        )
    )
    window.keys.unlock(str(p12), "screenshots only")
    page = window.view.current_page()
    sign = page.editor("signoff")
    for start in (sign.record_panel.start_signed, sign.circulation.start):
        start()
        while window.tasks.busy:
            settle()
            time.sleep(0.02)
    settle()
    top = sign.record_panel.mapTo(page.widget(), QPoint(0, 0)).y()
    page.verticalScrollBar().setValue(top - 12)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
