"""The record in brief, read back at the end of the discussion before the chair signs.

Qt-free HTML for the window's sign step. It reads what the record reads: the decisions its form
asks (nothing else), every value rendered by s47desk.present, and the deadlines' states from
s47desk.deadlines, so the chair hears exactly what will be signed.
"""

from __future__ import annotations

import html
from datetime import date

from s47desk import present
from s47desk.deadlines import LABELS, meeting_timescales
from s47desk.decisions import DECISION_BY_KEY
from s47desk.fields import shown
from s47desk.forms.definition import FormDefinition
from s47desk.models import Meeting
from s47desk.protocol import Protocol
from s47desk.vocab import Attendance


def _e(text: object) -> str:
    return html.escape(str(text or ""))


def readback_html(
    meeting: Meeting,
    form: FormDefinition,
    protocol: Protocol | None = None,
    today: date | None = None,
) -> str:
    """The read-back: when and how held, who took part, each decision the form asks with its
    rationale and details, dissent (or that there was none), actions, and the key dates."""
    concerns = frozenset(meeting.concerns) | form.implies_concerns
    parts = [f"<h3>{_e(form.title)}</h3>"]
    held = present.moment(meeting.held_at, "not recorded")
    ended = present.duration(meeting.held_at, meeting.ended_at)
    how = meeting.mode.label if meeting.mode else "how: not recorded"
    parts.append(
        f"<p>Held: {_e(held)}" + (f" ({_e(ended)})" if ended else "") + f" · {_e(how)}"
        f" · Chair: {_e(meeting.chair_name or 'not recorded')}</p>"
    )
    present_people = [a for a in meeting.attendees if a.attendance is Attendance.PRESENT]
    absent = [a for a in meeting.attendees if a.absent]
    parts.append("<h4>Attendance</h4><p>")
    parts.append(
        ", ".join(f"{_e(a.name)} ({_e(a.agency.label)})" for a in present_people)
        or "Nobody recorded."
    )
    if absent:
        parts.append(
            "<br>Not present: "
            + ", ".join(
                f"{_e(a.name or a.agency.label)} ({_e(a.attendance.label)})" for a in absent
            )
        )
    parts.append("</p><h4>Decisions</h4>")
    rows = []
    for key in form.decisions:
        kind, decision = DECISION_BY_KEY[key], meeting.decision(key)
        option = kind.option(decision.choice) if decision else None
        if option is None:
            if kind.required and (not kind.only_when or getattr(meeting, kind.only_when)):
                rows.append(f"<li><b>{_e(kind.title)}</b>: <i>not decided</i></li>")
            continue
        assert decision is not None
        details = "; ".join(
            f"{_e(d.label)}: {_e(present.detail(d, decision.details[d.key]))}"
            for d in kind.details
            if decision.details.get(d.key)
        )
        rows.append(
            f"<li><b>{_e(kind.title)}</b>: {_e(option.label)}"
            f"<br>Rationale: {_e(decision.rationale) or '<i>none recorded</i>'}"
            + (f"<br>{details}" if details else "")
            + "</li>"
        )
    parts.append("<ul>" + "".join(rows) + "</ul>")
    if shown("dissents", form.fields, meeting, concerns):
        for dissent in meeting.dissents:
            title = (
                DECISION_BY_KEY[dissent.decision_kind].title
                if dissent.decision_kind in DECISION_BY_KEY
                else dissent.decision_kind
            )
            parts.append(f"<p>Dissent ({_e(title)}): {_e(dissent.name)} — {_e(dissent.text)}</p>")
        if not meeting.dissents:
            parts.append("<p>No dissent recorded.</p>")
    parts.append("<h4>Actions</h4><ol>")
    for action in meeting.actions:
        who = (
            f"{action.owner or 'no owner'}, {action.agency.label if action.agency else 'no agency'}"
        )
        children = ", ".join(c.name for c in action.children_in(meeting) if c.name)
        about = f" (for {_e(children)})" if children else ""
        parts.append(
            f"<li>{_e(action.text)}{about} — {_e(who)} — due "
            f"{_e(present.weekday(action.due, 'no date'))}</li>"
        )
    parts.append("</ol>" if meeting.actions else "</ol><p><i>No actions.</i></p>")
    if protocol is not None and today is not None:
        parts.append(_key_dates(meeting, form, protocol, today))
    return "".join(parts)


def _key_dates(meeting: Meeting, form: FormDefinition, protocol: Protocol, today: date) -> str:
    timescales = meeting_timescales(meeting, protocol, form)
    calendar = protocol.calendar()
    rows = [
        f"<li>{_e(d.label)}: {_e(d.when())} — {_e(d.state(today, calendar))}</li>"
        for d in sorted(timescales.deadlines.values(), key=lambda d: d.due)
    ]
    rows += [
        f"<li>{_e(LABELS[k])}: not known yet ({_e(why)})</li>"
        for k, why in timescales.not_known.items()
    ]
    return "<h4>Key dates</h4><ul>" + "".join(rows) + "</ul>" if rows else ""
