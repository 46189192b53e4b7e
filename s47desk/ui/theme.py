"""Look and feel: one calm palette (light or dark), a visible focus ring, and a text scale.

Colours that carry meaning (blocker, warning, done) come from here in a light and a dark variant,
so every custom-painted widget stays readable in the system's dark palette.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QPlainTextEdit,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QTextEdit,
    QWidget,
)

TEXT_SCALES = (1.0, 1.25, 1.5, 1.75, 2.0)


@dataclass(frozen=True)
class Semantic:
    """Colours with a meaning, chosen for the palette's lightness."""

    blocker: QColor
    blocker_bg: QColor
    warning: QColor
    warning_bg: QColor
    ok: QColor
    ok_bg: QColor
    info_bg: QColor
    weekend: QColor  # shading of a weekend day: 3:1 against the window and the base
    holiday: QColor  # a bank holiday (or closure day): 3:1 against the window and the base
    on_shade: QColor  # day numbers drawn on the weekend and holiday shades
    warning_icon: QColor  # the warning diamond's fill: 3:1 against the window and the base
    today: QColor
    control_edge: QColor  # an empty tick box's or radio choice's edge: 3:1 against the window


def is_dark(palette: QPalette | None = None) -> bool:
    """Dark when the text is light. Not read from the Window colour: a tinted frame's own
    style sheet sets that to its tint, and a pale tint would read as light for good."""
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.WindowText).lightness() >= 128


def semantic(palette: QPalette | None = None) -> Semantic:
    """The meaningful colours for *palette* (the application's by default). Painting asks for
    them on every frame: built once per darkness. Treat the colours as read-only."""
    return _semantic(is_dark(palette))


@cache
def _semantic(dark: bool) -> Semantic:
    if dark:
        return Semantic(
            blocker=QColor("#ff8a80"),
            blocker_bg=QColor("#4a2323"),
            warning=QColor("#ffcc66"),
            warning_bg=QColor("#45391c"),
            ok=QColor("#81c995"),
            ok_bg=QColor("#1f3a28"),
            info_bg=QColor("#233447"),
            weekend=QColor("#7d8590"),
            holiday=QColor("#c8962e"),
            on_shade=QColor("#000000"),
            warning_icon=QColor("#ffcc66"),
            today=QColor("#8ab4f8"),
            control_edge=QColor("#9aa0a6"),
        )
    return Semantic(
        blocker=QColor("#b3261e"),
        blocker_bg=QColor("#fbe9e7"),
        warning=QColor("#8a5a00"),
        warning_bg=QColor("#fff4d6"),
        ok=QColor("#1e7b34"),
        ok_bg=QColor("#e6f4ea"),
        info_bg=QColor("#e8f0fe"),
        weekend=QColor("#7a8490"),
        holiday=QColor("#b26a00"),
        on_shade=QColor("#000000"),
        warning_icon=QColor("#b26a00"),
        today=QColor("#1a56c4"),
        control_edge=QColor("#5f6670"),
    )


def dark_palette() -> QPalette:
    """A dark palette for Fusion, used when the system asks for dark or the user chooses it."""
    p = QPalette()
    window, base, text = QColor("#1f2227"), QColor("#16181c"), QColor("#e6e8eb")
    roles = {
        QPalette.ColorRole.Window: window,
        QPalette.ColorRole.WindowText: text,
        QPalette.ColorRole.Base: base,
        QPalette.ColorRole.AlternateBase: QColor("#23262c"),
        QPalette.ColorRole.ToolTipBase: QColor("#2b2f36"),
        QPalette.ColorRole.ToolTipText: text,
        QPalette.ColorRole.PlaceholderText: QColor("#9aa0a8"),
        QPalette.ColorRole.Text: text,
        QPalette.ColorRole.Button: QColor("#2b2f36"),
        QPalette.ColorRole.ButtonText: text,
        QPalette.ColorRole.BrightText: QColor("#ff8a80"),
        QPalette.ColorRole.Highlight: QColor("#3d6fd1"),
        QPalette.ColorRole.HighlightedText: QColor("#ffffff"),
        QPalette.ColorRole.Link: QColor("#8ab4f8"),
        QPalette.ColorRole.Mid: QColor("#3a3f47"),
        QPalette.ColorRole.Dark: QColor("#111316"),
        QPalette.ColorRole.Light: QColor("#3a3f47"),
    }
    for role, colour in roles.items():
        p.setColor(role, colour)
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.WindowText,
    ):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#80868e"))
    return p


def light_palette() -> QPalette:
    p = QStyleFactory.create("Fusion").standardPalette()
    p.setColor(QPalette.ColorRole.Window, QColor("#f5f6f8"))
    p.setColor(QPalette.ColorRole.AlternateBase, QColor("#f7f8fa"))
    p.setColor(QPalette.ColorRole.Highlight, QColor("#1a56c4"))
    p.setColor(QPalette.ColorRole.Link, QColor("#1a56c4"))
    p.setColor(QPalette.ColorRole.PlaceholderText, QColor("#5f6368"))
    return p


def stylesheet(dark: bool) -> str:
    """A strong focus ring on every text field, list and button: keyboard users must see it."""
    ring = "#8ab4f8" if dark else "#1a56c4"
    return f"""
    QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus, QAbstractItemView:focus,
    QDateEdit:focus, QTimeEdit:focus, QSpinBox:focus {{ border: 2px solid {ring}; }}
    QPushButton:focus, QToolButton:focus, QComboBox:focus {{ border: 2px solid {ring};
        border-radius: 3px; }}
    QCheckBox:focus, QRadioButton:focus {{ outline: none; border: 2px solid {ring};
        border-radius: 3px; }}
    QPushButton, QToolButton {{ padding: 3px 10px; }}
    QToolButton#quickPick {{ padding: 2px 6px; }}
    """


_INDICATORS = (
    QStyle.PrimitiveElement.PE_IndicatorCheckBox,
    QStyle.PrimitiveElement.PE_IndicatorRadioButton,
)


class EdgedStyle(QProxyStyle):
    """Fusion, with edges an empty tick box, radio choice or text field can be seen by (WCAG
    1.4.11): Fusion draws them in the window colour a little darker, about 2:1 in the light
    palette and 1.1:1 in the dark."""

    def drawPrimitive(  # noqa: N802
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if not option.state & QStyle.StateFlag.State_Enabled:
            return  # a disabled control need not stand out (WCAG 1.4.11 exempts it)
        # PE_Frame is every styled panel (tables, popups, banners): only a text box's is edged
        framed = element is QStyle.PrimitiveElement.PE_FrameLineEdit or (
            element is QStyle.PrimitiveElement.PE_Frame
            and isinstance(widget, (QPlainTextEdit, QTextEdit))
        )
        if not (framed or element in _INDICATORS):
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(semantic(option.palette).control_edge, 1.0 if framed else 1.5))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        rect = QRectF(option.rect)
        if framed:
            painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 2, 2)
        elif element is QStyle.PrimitiveElement.PE_IndicatorRadioButton:
            painter.drawEllipse(rect.adjusted(0.75, 0.75, -0.75, -0.75))
        else:
            painter.drawRoundedRect(rect.adjusted(0.75, 0.75, -0.75, -0.75), 2, 2)
        painter.restore()


_STYLE: list[EdgedStyle] = []  # kept: Qt owns the style, Python must not collect it


def apply_theme(app: QApplication, *, dark: bool | None = None) -> None:
    """Fusion everywhere (same look on every desktop); dark when asked or when the system is."""
    if not _STYLE:
        _STYLE.append(EdgedStyle("Fusion"))
        app.setStyle(_STYLE[0])
    if dark is None:
        dark = QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark
    app.setPalette(dark_palette() if dark else light_palette())
    app.setStyleSheet(stylesheet(dark))


_BASE_POINT_SIZE: float = 0.0


def set_text_scale(app: QApplication, scale: float) -> None:
    """Scale every font from the platform's default size (200% = 2.0)."""
    global _BASE_POINT_SIZE
    font = app.font()
    if not _BASE_POINT_SIZE:
        _BASE_POINT_SIZE = font.pointSizeF() if font.pointSizeF() > 0 else 10.0
    font.setPointSizeF(_BASE_POINT_SIZE * scale)
    # With an application style sheet, existing widgets keep the font they were polished with:
    # take the sheet off, change the font (headings follow), then put the sheet back.
    sheet = app.styleSheet()
    app.setStyleSheet("")
    app.setFont(font)
    app.setStyleSheet(sheet)


class Heading(QLabel):
    """A label in a larger, bolder font that follows the application's text scale."""

    def __init__(self, text: str = "", scale: float = 1.3, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._scale = scale
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        from s47desk.ui.a11y import mark_heading

        mark_heading(self, 1 if scale >= 1.35 else 2 if scale >= 1.15 else 3)
        self._apply_font()
        app = QApplication.instance()
        if isinstance(app, QApplication):  # Qt 6 sends no font event to a widget with its own font
            app.fontChanged.connect(self._apply_font)

    def _apply_font(self, *_args: object) -> None:
        # A style sheet, not setFont: the application style sheet would restore an old font.
        size = QApplication.font().pointSizeF() * self._scale
        self.setStyleSheet(f"font-size: {size:.1f}pt; font-weight: 600;")


def muted(text: str = "", parent: QWidget | None = None) -> QLabel:
    """Secondary text: help lines and explanations."""
    label = QLabel(text, parent)
    label.setObjectName("muted")
    label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
    label.setWordWrap(True)
    return label


def tint(widget: QWidget, background: QColor, border: QColor | None = None) -> None:
    """A frame's tinted background, drawn even under the application style sheet (which
    ignores the palette's Window colour for a styled frame)."""
    name = widget.objectName() or "tinted"
    widget.setObjectName(name)
    edge = f"border: 1px solid {border.name()};" if border is not None else "border: none;"
    widget.setStyleSheet(
        f"QFrame#{name} {{ background-color: {background.name()}; {edge} border-radius: 4px; }}"
    )
