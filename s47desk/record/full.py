"""The full record of a strategy discussion, for the agencies (and, if need be, a court).

The record prints what the meeting's form asks and nothing else: each section below is declared
with the fields it prints (SECTIONS), a section appears only when its form asks at least one of
them, and a field only when its form asks it and any circumstance it depends on holds
(fields.shown). Sections follow the order a reader expects (guidance 002 section 10; domain
notes: record templates): details, children, parents and household, attendance, reason,
information by agency, analysis, decisions with dissent, action plan, contingency, key dates,
what the family may be told, distribution, confidentiality and the chair's authorisation.
Labels come from FIELDS, DECISIONS and the vocabularies, and every value is rendered by
s47desk.present, never retyped here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from s47desk import present
from s47desk.deadlines import LABELS, DeadlineState, meeting_timescales
from s47desk.decisions import DECISION_BY_KEY, DecisionKind
from s47desk.fields import FIELDS, shown
from s47desk.models import Attendee, Decision, InformationItem, Meeting, utcnow
from s47desk.record.context import CONFIDENTIALITY, RecordContext
from s47desk.record.labels import reference
from s47desk.record.signer_block import FINGERPRINTS, signer_rows
from s47desk.record.template import S
from s47desk.record.writer import Cell, Masthead, Properties, RecordWriter
from s47desk.vocab import Agency, Attendance, FamilySharing, Referrer, SeenAlone

SUBTITLE = "Record of a multi-agency strategy discussion (section 47, Children Act 1989)"
DRAFT_NOTICE = (
    "DRAFT: this record has not been authorised by the chair. It must not be circulated or "
    "relied on until it is signed."
)
NO_DISSENT = "No dissent recorded: no attendee disagreed with a decision."


def label(field_id: str) -> str:
    return FIELDS[field_id].label


@dataclass(frozen=True)
class Page:
    """What a section is written from: the meeting, the record's context, and what it shows."""

    meeting: Meeting
    ctx: RecordContext

    @property
    def concerns(self) -> frozenset[str]:
        return frozenset(self.meeting.concerns) | self.ctx.form_concerns

    def shows(self, field_id: str) -> bool:
        return shown(field_id, self.ctx.asked, self.meeting, self.concerns)

    def rows(self, *field_ids: str) -> list[tuple[str, Cell]]:
        """Label and value of each scalar field shown, in the order given."""
        return [(label(f), present.field(self.meeting, f)) for f in field_ids if self.shows(f)]


@dataclass(frozen=True)
class Section:
    """A part of the record and the fields it prints; shown when its form asks any of them
    (*always*: whatever the form)."""

    title: str
    fields: tuple[str, ...]
    write: Callable[[RecordWriter, Page], None]
    always: bool = False

    def applies(self, page: Page) -> bool:
        return self.always or any(f in page.ctx.asked for f in self.fields)


def render_full(meeting: Meeting, ctx: RecordContext) -> bytes:
    """The full record as .docx bytes (unsigned; see s47desk.record.export)."""
    w = RecordWriter()
    ref = reference(meeting)
    signed = ctx.signed
    marking = ctx.protocol.protective_marking
    w.masthead(
        Masthead(
            marking=marking,
            left=meeting.local_authority or "Strategy discussion record",
            right=f"Strategy discussion record · {ref}" + ("" if signed else " · DRAFT"),
            footer_left=f"{ref} · record version {meeting.record_version}",
        )
    )
    signoff = ctx.signoff
    w.properties(
        Properties(
            title=f"{ctx.form_title} – {marking}",
            subject="Strategy discussion record",
            when=signoff.signed_at if signoff else utcnow(),
            revision=meeting.record_version,
        )
    )
    w.heading(ctx.form_title, 0)
    w.paragraph(f"{SUBTITLE}\n{meeting.local_authority}".strip(), S.SUBTITLE)
    if not signed:
        w.paragraph(DRAFT_NOTICE, S.NOTICE)
    page = Page(meeting, ctx)
    number = 0
    for section in SECTIONS:
        if section.applies(page):
            number += 1
            w.heading(f"{number}. {section.title}")
            section.write(w, page)
    return w.to_bytes()


DETAILS = (
    "meeting.local_authority",
    "meeting.held_at",
    "meeting.ended_at",
    "meeting.mode",
    "meeting.chair_name",
    "meeting.chair_role",
    "meeting.chair_is_team_manager",
    "meeting.minute_taker",
    "meeting.referral_received",
    "meeting.referrer",
    "meeting.referrer_kind",
    "meeting.concerns_identified",
    "meeting.urgency",
    "meeting.concerns",
    "meeting.late_reason",
    "meeting.initiating_held_on",
    "meeting.whereabouts_unknown_since",
    "meeting.under_s47_enquiries",
    "meeting.abuse_suspected_on",
    "meeting.lado_notified_on",
    "meeting.child_in_hospital",
    "meeting.access_refused",
    "meeting.permission_not_sought",
)


def _details(w: RecordWriter, p: Page) -> None:
    m = p.meeting
    rows: list[tuple[str, Cell]] = [
        ("Reference", f"{reference(m)} (record version {m.record_version})"),
        ("Status of this record", "Signed" if p.ctx.signed else "Draft: not yet authorised"),
    ]
    for field_id in DETAILS:
        if not p.shows(field_id):
            continue
        value: Cell = present.field(m, field_id)
        if field_id == "meeting.ended_at" and m.ended_at is not None:
            value = present.duration(m.held_at, m.ended_at) or present.moment(m.ended_at)
        elif field_id == "meeting.initiating_held_on" and m.initiating_meeting is not None:
            value = present.day(m.initiating_meeting.held_on)
        elif field_id == "meeting.late_reason" and not m.late_reason.strip():
            value = _not_late(p)
        rows.append((label(field_id), value))
    w.details(rows)


def _not_late(p: Page) -> str:
    timescales = meeting_timescales(p.meeting, p.ctx.protocol, p.ctx.form or p.ctx.form_concerns)
    held = timescales.deadlines.get("strategy_discussion_by")
    if held is not None and held.status(p.ctx.as_at) is DeadlineState.MET_ON_TIME:
        return "Not needed: held within its timescale"
    return present.NOT_RECORDED


def _children(w: RecordWriter, p: Page) -> None:
    m = p.meeting
    if p.shows("children"):
        rows: list[list[Cell]] = []
        for child in m.children:
            born = (
                f"Expected {present.day(child.expected_date)}"
                if child.date_of_birth is None and child.expected_date
                else present.day(child.date_of_birth, "—")
            )
            outcome = child.outcome.label + (
                f"\n{child.outcome_note}" if child.outcome_note else ""
            )
            about = [child.role.label, *(["Looked after"] if child.looked_after else [])]
            rows.append(
                [
                    child.name or "(no name)",
                    "\n".join(about),
                    born,
                    child.gender,
                    child.reference,
                    _seen(child.seen_on, child.seen_by, child.seen_alone, child.not_alone_reason),
                    outcome,
                ]
            )
        if rows:
            w.grid(
                ["Name", "Role", "Date of birth", "Gender", "Reference", "Seen", "Outcome"],
                rows,
                [17, 12, 13, 10, 12, 18, 18],
            )
        else:
            w.paragraph("", empty="No children recorded.")
    if p.shows("meeting.other_children_note"):
        w.heading(label("meeting.other_children_note"), 3)
        w.paragraph(m.other_children_note, empty=present.NOT_RECORDED)


def _seen(on: date | None, by: str, alone: SeenAlone | None, why: str) -> str:
    """When, by whom and whether alone a child was seen (guidance 000 section 3)."""
    if on is None:
        return "Not yet seen"
    text = present.day(on) + (f" by {by}" if by else "")
    if alone is SeenAlone.ALONE:
        text += "; seen alone"
    elif alone is SeenAlone.NOT_ALONE:
        text += f"; not alone: {why or 'reason not recorded'}"
    return text


HOUSEHOLD = (
    "meeting.parents_carers",
    "meeting.household_members",
    "meeting.alleged_person",
    "meeting.alleged_person_aliases",
    "meeting.alleged_person_dob",
    "meeting.identities_checked",
)


def _household(w: RecordWriter, p: Page) -> None:
    for field_id in ("meeting.parents_carers", "meeting.household_members"):
        if p.shows(field_id):
            w.heading(label(field_id), 2)
            w.paragraph(getattr(p.meeting, FIELDS[field_id].attribute), empty=present.NOT_RECORDED)
    rows = p.rows(*HOUSEHOLD[2:])
    if rows:
        w.details(rows)


def _agency(a: Attendee) -> str:
    parts = [a.agency.label]
    if a.service is not None:
        parts.append(a.service.label)
    if a.organisation:
        parts.append(a.organisation)
    return "\n".join(parts)


def _attendance(w: RecordWriter, p: Page) -> None:
    rows: list[list[Cell]] = []
    for a in p.meeting.attendees:
        notes = "\n".join(
            x
            for x in (
                f"Reason: {a.absence_reason}" if a.absence_reason else "",
                f"Escalation: {a.escalation}" if a.escalation else "",
            )
            if x
        )
        if a.absent and not notes:
            notes = "No reason recorded"
        senior = present.yes_no(a.senior_enough) if a.attendance is Attendance.PRESENT else "—"
        rows.append([a.name, a.role, _agency(a), a.attendance.label, senior, notes])
    if rows:
        w.grid(
            [
                "Name",
                "Role",
                "Agency",
                "Attendance",
                "Senior enough to decide",
                "Reason and escalation",
            ],
            rows,
            [16, 18, 19, 12, 10, 25],
        )
    else:
        w.paragraph("", empty="No attendance recorded.")


def _reason(w: RecordWriter, p: Page) -> None:
    if p.shows("meeting.reason"):
        w.paragraph(p.meeting.reason, empty=present.NOT_RECORDED)
    if p.shows("meeting.immediate_action"):
        w.heading(label("meeting.immediate_action"), 2)
        w.paragraph(p.meeting.immediate_action, empty=present.NOT_RECORDED)


def sharing_flag(item: InformationItem) -> Cell:
    """How the record marks an item for readers who might talk to the family."""
    if item.family_sharing is FamilySharing.YES:
        return (FamilySharing.YES.label, S.FLAG_SHAREABLE)
    if item.withheld:
        why = item.withhold_reason.label if item.withhold_reason else "no reason recorded"
        note = f": {item.withhold_note.strip()}" if item.withhold_note.strip() else ""
        return (f"NOT to be shared with the family ({why}{note})", S.FLAG_WITHHELD)
    return ("NOT to be shared with the family: not yet decided", S.FLAG_WITHHELD)


def _information(w: RecordWriter, p: Page) -> None:
    by_agency: dict[Agency, list[InformationItem]] = defaultdict(list)
    for item in p.meeting.information:
        by_agency[item.agency].append(item)
    if not by_agency:
        w.paragraph("", empty="No information recorded.")
    for agency, items in by_agency.items():
        w.heading(agency.label, 2)
        for item in items:
            if item.nil_return:
                w.runs([("Nil return: ", S.LABEL), "this agency holds no relevant information."])
            w.paragraph(item.text, empty="" if item.nil_return else "No text recorded.")
            source = f"Shared by {item.shared_by}. " if item.shared_by else ""
            w.runs([source, sharing_flag(item)], S.NOTE)


ANALYSIS = (
    "meeting.risks",
    "meeting.strengths",
    "meeting.child_voice",
    "meeting.child_voice_plan",
)


def _analysis(w: RecordWriter, p: Page) -> None:
    for field_id in ANALYSIS:
        if p.shows(field_id):
            w.heading(label(field_id), 2)
            w.paragraph(getattr(p.meeting, FIELDS[field_id].attribute), empty=present.NOT_RECORDED)


def asked_decisions(p: Page) -> list[tuple[DecisionKind, Decision | None]]:
    """The decisions the form asks, in its order, that apply here (a decision that depends on
    a flag, such as hospital discharge, only when it is set or was made)."""
    out = []
    for key in p.ctx.form.decisions if p.ctx.form else tuple(DECISION_BY_KEY):
        kind, decision = DECISION_BY_KEY[key], p.meeting.decision(key)
        applies = not kind.only_when or bool(getattr(p.meeting, kind.only_when, False))
        if decision is not None or applies:
            out.append((kind, decision))
    return out


def _decisions(w: RecordWriter, p: Page) -> None:
    m = p.meeting
    for kind, decision in asked_decisions(p):
        w.heading(kind.title, 2)
        w.paragraph(kind.question, S.QUESTION)
        if decision is None or not decision.choice:
            empty = "Not reached yet." if not kind.required else "No decision recorded."
            w.paragraph("", empty=empty)
        else:
            rows: list[tuple[str, Cell]] = [("Decision", present.choice(kind, decision.choice))]
            for detail in kind.details:
                value = decision.details.get(detail.key, "")
                if value:
                    rows.append((detail.label, present.detail(detail, value)))
            rows.append(("Rationale", decision.rationale or present.NOT_RECORDED))
            if decision.recorded_by:
                rows.append(("Recorded by", decision.recorded_by))
            w.details(rows)
        if p.shows("dissents"):
            _dissent(w, m, kind.key)
    if p.shows("dissents"):
        asked = {k.key for k, _ in asked_decisions(p)}
        for key in sorted({d.decision_kind for d in m.dissents} - asked):
            w.heading(f"Dissent ({key})", 2)
            _dissent(w, m, key)
        if not m.dissents:
            w.heading(label("dissents"), 2)
            w.paragraph(NO_DISSENT)


def _dissent(w: RecordWriter, m: Meeting, kind: str) -> None:
    dissents = [d for d in m.dissents if d.decision_kind == kind]
    if not dissents:
        return
    w.heading(label("dissents"), 3)
    rows: list[list[Cell]] = [
        [d.name, d.agency.label if d.agency else "", d.text, d.escalation or "None recorded"]
        for d in dissents
    ]
    w.grid(["Name", "Agency", "Dissent", "Escalation"], rows, [18, 16, 40, 26])


def _actions(w: RecordWriter, p: Page) -> None:
    m = p.meeting
    rows: list[list[Cell]] = []
    for number, action in enumerate(m.actions, start=1):
        text = action.text
        children = [present.child_name(c, m.children.index(c)) for c in action.children_in(m)]
        if children:
            text += f"\n(for {', '.join(children)})"
        if action.category.value != "general":
            text += f"\n[{action.category.label}]"
        if action.completion_note:
            text += f"\n{action.completion_note}"
        rows.append(
            [
                str(number),  # not Action.number: positions are not always renumbered
                text,
                action.owner,
                action.agency.label if action.agency else "",
                present.weekday(action.due, "—"),
                action.status.label,
            ]
        )
    if rows:
        w.grid(
            ["No.", "Action", "Owner", "Agency", "Due by", "Status"],
            rows,
            [6, 38, 16, 15, 16, 9],
        )
    else:
        w.paragraph("", empty="No actions recorded.")


def _contingency(w: RecordWriter, p: Page) -> None:
    w.paragraph(p.meeting.contingency, empty=present.NOT_RECORDED)


def _key_dates(w: RecordWriter, p: Page) -> None:
    m, ctx = p.meeting, p.ctx
    timescales = meeting_timescales(m, ctx.protocol, ctx.form or ctx.form_concerns)
    calendar = ctx.protocol.calendar()
    w.paragraph(f"States as at {present.day(ctx.as_at)}.", S.NOTE)
    rows: list[list[Cell]] = []
    for d in sorted(timescales.deadlines.values(), key=lambda d: d.due):
        rows.append([d.when(), d.label, d.state(ctx.as_at, calendar), d.basis])
    for key, why in timescales.not_known.items():
        rows.append(["Not known", LABELS[key], DeadlineState.NOT_KNOWN.label, why])
    for key, why in timescales.not_applicable.items():
        rows.append(["—", LABELS[key], DeadlineState.NOT_APPLICABLE.label, why])
    if p.shows("meeting.icpc_planned_on") and m.icpc_planned_on is not None:
        rows.append(
            [
                present.weekday(m.icpc_planned_on),
                label("meeting.icpc_planned_on"),
                "Planned",
                "Recorded at this discussion",
            ]
        )
    review = m.decision("review_discussion")
    if "review_discussion" in (ctx.form.decisions if ctx.form else ()) and review is not None:
        when = review.details.get("review_by", "")
        if when:
            kind = DECISION_BY_KEY["review_discussion"]
            spec = kind.detail("review_by")
            due = present.detail(spec, when) if spec else when
            rows.append([due, kind.title, "Planned", "Decided at this discussion"])
    w.grid(["Due by", "What", "State", "Basis"], rows, [18, 24, 22, 36])
    if p.shows("meeting.assessment_over_reason") and m.assessment_over_reason.strip():
        w.details([(label("meeting.assessment_over_reason"), m.assessment_over_reason)])


FAMILY = (
    "decision.family_information",
    "meeting.family_summary",
    "meeting.family_summary_confirmed",
)


def _family(w: RecordWriter, p: Page) -> None:
    m = p.meeting
    rows: list[tuple[str, Cell]] = []
    if p.shows("decision.family_information"):
        kind = DECISION_BY_KEY["family_information"]
        decision = m.decision(kind.key)
        chosen = present.choice(kind, decision.choice) if decision else present.NOT_RECORDED
        rows.append((kind.title, chosen))
    counts = {s: sum(1 for i in m.information if i.family_sharing is s) for s in FamilySharing}
    rows.append(
        (
            "Information items",
            f"{counts[FamilySharing.YES]} may be shared; {counts[FamilySharing.NO]} not to be "
            f"shared; {counts[FamilySharing.UNDECIDED]} not yet decided (treated as not to be "
            "shared)",
        )
    )
    rows += p.rows("meeting.family_summary_confirmed")
    w.details(rows)
    if p.shows("meeting.family_summary"):
        w.heading(label("meeting.family_summary"), 3)
        w.paragraph(
            "The family copy of this record carries this text and nothing else written at the "
            "discussion:",
            S.NOTE,
        )
        w.paragraph(m.family_summary, empty=present.NOT_RECORDED)


def _distribution(w: RecordWriter, p: Page) -> None:
    """Attendees, the referrer and absent agencies (domain notes: record templates)."""
    m = p.meeting
    reasons = {
        Attendance.PRESENT: "Attended",
        Attendance.APOLOGIES: "Sent apologies: for information",
        Attendance.ABSENT: "Absent: for information and action",
    }
    rows: list[list[Cell]] = []
    for a in m.attendees:
        why = reasons[a.attendance]
        if a.agency is Agency.REFERRER:
            why = "Referrer: told the outcome separately"
        rows.append([a.name, a.role, _agency(a), a.email or "No email recorded", why])
    if p.shows("meeting.referrer") and m.referrer.strip():
        feedback = (
            "Feedback given separately, respecting the child's confidentiality"
            if m.referrer_kind is Referrer.NON_PROFESSIONAL
            else "Told the outcome and rationale"
        )
        rows.append([m.referrer, "Referrer", "", "", feedback])
    attending = {a.agency for a in m.attendees}
    for agency in dict.fromkeys(a.agency for a in m.actions if a.agency is not None):
        if agency not in attending:
            rows.append(["", "", agency.label, "No email recorded", "Owns actions in this plan"])
    if rows:
        w.grid(["Name", "Role", "Agency", "Email", "Why"], rows, [17, 17, 19, 25, 22])
    else:
        w.paragraph("", empty="No one recorded.")


def _confidentiality(w: RecordWriter, _p: Page) -> None:
    w.paragraph(CONFIDENTIALITY, S.CONFIDENTIAL)


def _authorisation_section(w: RecordWriter, p: Page) -> None:
    _authorisation(w, p.meeting, p.ctx)


SECTIONS: tuple[Section, ...] = (
    Section("Meeting details", DETAILS, _details, always=True),
    Section(label("children"), ("children", "meeting.other_children_note"), _children),
    Section("Parents, carers and household", HOUSEHOLD, _household),
    Section(label("attendees"), ("attendees",), _attendance),
    Section(label("meeting.reason"), ("meeting.reason", "meeting.immediate_action"), _reason),
    Section(label("information"), ("information",), _information),
    Section("Analysis and the child's voice", ANALYSIS, _analysis),
    Section(
        "Decisions",
        ("dissents", *(f"decision.{k}" for k in DECISION_BY_KEY)),
        _decisions,
    ),
    Section(label("actions"), ("actions",), _actions),
    Section(label("meeting.contingency"), ("meeting.contingency",), _contingency),
    Section(
        "Key dates",
        ("meeting.referral_received", "meeting.icpc_planned_on", "meeting.assessment_over_reason"),
        _key_dates,
    ),
    Section("What may be shared with the family", FAMILY, _family),
    Section("Distribution list", ("attendees", "meeting.referrer"), _distribution),
    Section("Confidentiality", (), _confidentiality, always=True),
    Section("Authorisation", ("signoff",), _authorisation_section, always=True),
)


def _authorisation(w: RecordWriter, m: Meeting, ctx: RecordContext) -> None:
    signoff = ctx.signoff
    rows: list[tuple[str, Cell]]
    if signoff is None:
        rows = [("Authorised by", "Not yet authorised: this is a draft")]
    else:
        rows = [
            ("Authorised by", signoff.name),
            ("Role", signoff.role),
            ("Signed at", present.utc_moment(signoff.signed_at)),
        ]
        if signoff.on_behalf_of:
            rows.append(("Signed", signoff.on_behalf_of))
    rows.append(("Record version", str(m.record_version)))
    if m.amendment_reason:
        rows.append(("Why this version was made", m.amendment_reason))
    rows.append(("Content fingerprint (SHA-256)", (ctx.content_fingerprint, S.FINGERPRINT)))
    if ctx.signer is not None:
        rows += [
            (name, (value, S.FINGERPRINT) if name in FINGERPRINTS else value)
            for name, value in signer_rows(ctx.signer)
        ]
    else:
        rows.append(("Digital signature", "This copy is not digitally signed."))
    w.details(rows)
    _version_history(w, m, ctx)
    w.paragraph(
        "The content fingerprint identifies exactly what the chair authorised; it can be "
        "recomputed from the meeting file. A digital signature, when present, makes any change "
        "to this file detectable: check it with `s47desk verify FILE --signer-sha256 "
        "<certificate fingerprint>`, or in Word under File › Info › View Signatures and in "
        "LibreOffice under File › Digital Signatures, where the certificate's SHA-1 thumbprint "
        "must be the one printed above.",
        S.NOTE,
    )


def _version_history(w: RecordWriter, m: Meeting, ctx: RecordContext) -> None:
    """Every version of this record, when there has been more than one."""
    if len(ctx.history) < 2:
        return
    w.heading("Version history", 3)
    rows: list[list[Cell]] = []
    for version in ctx.history:
        this = version.record_version == m.record_version
        signoff = ctx.signoff if this else None
        by = f"{signoff.name}, {signoff.role}" if signoff else version.signed_by
        at = signoff.signed_at if signoff else version.signed_at
        when = present.utc_moment(at) if at else "Not signed"
        label = f"{version.record_version}" + (" (this record)" if this else "")
        rows.append([label, by or "—", when, version.reason or "First version"])
    w.grid(["Version", "Signed by", "Signed at", "Reason"], rows, [14, 26, 26, 34])
