"""What a strategy discussion must decide: each decision's question, choices and required details.

Defined once here; the checks, the window, the meeting file and the Word record all read it.
Sources: guidance 000 (section 47 actions, outcomes), 002 (tasks, medical, ABE, hospital
discharge, outcomes), 003.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

DetailKind = Literal["text", "date", "choice"]


@dataclass(frozen=True)
class Option:
    value: str
    label: str


@dataclass(frozen=True)
class Detail:
    """A further answer a decision needs, for some of its choices."""

    key: str
    label: str
    kind: DetailKind = "text"
    options: tuple[Option, ...] = ()
    required_for: frozenset[str] = frozenset()
    code: str = "decision.detail"  # the check that reports it missing

    def __post_init__(self) -> None:
        if (self.kind == "choice") != bool(self.options):
            raise ValueError(f"detail {self.key}: a choice has options, and only a choice has")


@dataclass(frozen=True)
class DecisionKind:
    key: str
    title: str
    question: str
    options: tuple[Option, ...]
    details: tuple[Detail, ...] = ()
    only_when: str = ""  # name of a meeting flag the decision depends on ("" = always)
    positive: frozenset[str] = field(default_factory=frozenset)
    required: bool = True  # False: recorded when reached (a section 47 outcome), never missing

    def __post_init__(self) -> None:
        values = {o.value for o in self.options}
        for detail in self.details:
            if not detail.required_for <= values:
                raise ValueError(f"{self.key}.{detail.key}: required for an unknown choice")
        if not self.positive <= values:
            raise ValueError(f"{self.key}: a positive choice is not one of its options")

    @property
    def code(self) -> str:
        return f"decision.{self.key}"

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)

    def detail(self, key: str) -> Detail | None:
        return next((d for d in self.details if d.key == key), None)


def _opts(*pairs: tuple[str, str]) -> tuple[Option, ...]:
    return tuple(Option(v, label) for v, label in pairs)


SECTION_47_YES = frozenset({"single", "joint"})
SHARED_WITH_FAMILY = frozenset({"share_now", "share_later"})  # the family is told something
NOT_SUBSTANTIATED = frozenset({"not_substantiated_nfa", "not_substantiated_cin"})
#: The outcome of the enquiry, recorded when reached (guidance 000 section 4, 002 section 8).
OUTCOMES = DecisionKind(
    "s47_outcome",
    "Outcome of the section 47 enquiry",
    "Has the section 47 enquiry reached its outcome? If so, what is it?",
    _opts(
        (
            "substantiated",
            "Concerns substantiated: an initial child protection conference is called",
        ),
        ("not_substantiated_nfa", "Concerns not substantiated: no further action"),
        (
            "not_substantiated_cin",
            "Concerns not substantiated: family support as a child in need (section 17)",
        ),
        ("continue_assessment", "Continue the child and family assessment"),
    ),
    (
        # guidance 000 section 4: "The outcome of a Section 47 Enquiry must be endorsed by the
        # team manager."
        Detail(
            "endorsed_by",
            "Endorsed by (team manager)",
            required_for=frozenset(
                {
                    "substantiated",
                    "not_substantiated_nfa",
                    "not_substantiated_cin",
                    "continue_assessment",
                }
            ),
        ),
    ),
    positive=frozenset({"substantiated"}),
    required=False,
)


DECISIONS: tuple[DecisionKind, ...] = (
    DecisionKind(
        "criminal_investigation",
        "Criminal investigation",
        "Is a criminal investigation needed, and what is its conduct and timing?",
        _opts(
            ("none", "No criminal investigation"),
            ("reactive", "Reactive investigation (evidence suggests a crime has been committed)"),
            (
                "proactive",
                "Proactive investigation (activity needed to establish if a crime occurred)",
            ),
        ),
        (
            Detail(
                "conduct",
                "Conduct",
                "choice",
                _opts(
                    ("single_agency", "Single-agency (police)"), ("joint", "Joint with social care")
                ),
                frozenset({"reactive", "proactive"}),
            ),
            Detail("police_lead", "Police lead", required_for=frozenset({"reactive", "proactive"})),
            # guidance 002, 003: "agree the conduct and timing of any criminal investigation"
            Detail(
                "timing",
                "Timing and methods of evidence-gathering",
                required_for=frozenset({"reactive", "proactive"}),
            ),
        ),
        positive=frozenset({"reactive", "proactive"}),
    ),
    DecisionKind(
        "s47",
        "Section 47 enquiry",
        "Should enquiries under section 47 of the Children Act 1989 be undertaken?",
        _opts(
            ("single", "Yes: single-agency section 47 enquiry (children's social care)"),
            ("joint", "Yes: joint section 47 enquiry with the police"),
            ("no", "No section 47 enquiry"),
        ),
        (
            Detail(
                "lead_social_worker",
                "Lead social worker",
                required_for=SECTION_47_YES,
                code="s47.lead_social_worker",
            ),
            Detail(
                "alternative",
                "Instead",
                "choice",
                _opts(
                    ("child_in_need", "Child in need assessment or services (section 17)"),
                    ("early_help", "Early help"),
                    ("no_further_action", "No further action"),
                ),
                frozenset({"no"}),
            ),
        ),
        positive=SECTION_47_YES,
    ),
    DecisionKind(
        "immediate_safeguarding",
        "Immediate safeguarding",
        "What immediate action is needed to protect the child or provide interim support?",
        _opts(
            ("not_required", "No immediate action required"),
            ("safety_plan", "Safety plan agreed with the family or carers"),
            (
                "protective_action",
                "Protective action (EPO, police powers of protection, accommodation)",
            ),
        ),
        positive=frozenset({"safety_plan", "protective_action"}),
    ),
    DecisionKind(
        "medical",
        "Medical assessment",
        "Is a medical assessment needed, when, and who gives consent?",
        _opts(
            ("not_required", "Not required"),
            ("child_protection", "Child protection medical"),
            ("forensic", "Forensic medical"),
            ("already_done", "Already completed"),
        ),
        (
            Detail("timing", "When", required_for=frozenset({"child_protection", "forensic"})),
            Detail("consent", "Consent (who gives it, and how)"),
        ),
        positive=frozenset({"child_protection", "forensic"}),
    ),
    DecisionKind(
        "abe_interview",
        "ABE interview",
        "Will an Achieving Best Evidence (ABE) interview take place with the child?",
        _opts(
            ("not_required", "Not required"),
            ("planned", "Joint ABE interview planned (police and social worker)"),
            ("to_review", "To be reviewed once initial enquiries are complete"),
        ),
        (Detail("timing", "When", required_for=frozenset({"planned"})),),
        positive=frozenset({"planned"}),
    ),
    DecisionKind(
        "legal",
        "Legal advice or action",
        "Is legal advice or legal action required?",
        _opts(
            ("not_required", "Not required"),
            ("advice", "Legal advice to be sought"),
            ("legal_planning", "Legal planning meeting"),
            ("emergency_application", "Emergency application (EPO or other order)"),
        ),
        positive=frozenset({"advice", "legal_planning", "emergency_application"}),
    ),
    DecisionKind(
        "family_information",
        "Information for the family",
        "What information is shared with the child and family, by whom and when?",
        _opts(
            ("share_now", "Share now, except items marked not shareable"),
            ("share_later", "Share later, once agreed with the police"),
            ("do_not_share", "Do not share at this stage"),
        ),
        (
            Detail("by_whom", "By whom", required_for=frozenset({"share_now", "share_later"})),
            Detail("when", "When", required_for=frozenset({"share_now", "share_later"})),
        ),
        positive=frozenset({"share_now", "share_later"}),
    ),
    DecisionKind(
        "hospital_discharge",
        "Hospital discharge",
        "The child is in hospital: how will a safe discharge be secured?",
        _opts(
            ("safe_discharge_plan", "Safe discharge plan agreed"),
            ("remain_in_hospital", "Child to remain in hospital until enquiries allow"),
            ("alternative_carer", "Discharge to an alternative carer"),
        ),
        only_when="child_in_hospital",
    ),
    DecisionKind(
        "review_discussion",
        "Review strategy discussion",
        "Is a review strategy discussion needed, and by when?",
        _opts(("not_needed", "Not needed"), ("needed", "Review strategy discussion needed")),
        (Detail("review_by", "Review by", "date", required_for=frozenset({"needed"})),),
        positive=frozenset({"needed"}),
    ),
    OUTCOMES,
)


DECISION_BY_KEY: dict[str, DecisionKind] = {d.key: d for d in DECISIONS}
