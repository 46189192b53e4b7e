"""The controlled vocabularies of a strategy discussion, each value with its plain-English label.

Stored values never change (they are in databases and meeting files); labels may be reworded.
"""

from __future__ import annotations

from enum import StrEnum


class Vocab(StrEnum):
    """A stored value with the label people read."""

    label: str

    def __new__(cls, value: str, label: str = "") -> Vocab:  # label: only when defining
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def parse(cls, value: str) -> Vocab:
        """The member for *value*, or ValueError listing the allowed values."""
        try:
            return cls(value)
        except ValueError:
            allowed = ", ".join(m.value for m in cls)
            raise ValueError(f"{value!r} is not one of: {allowed}") from None


class MeetingStatus(Vocab):
    DRAFT = "draft", "Draft"
    IN_PROGRESS = "in_progress", "In progress"
    SIGNED = "signed", "Signed"
    CIRCULATED = "circulated", "Circulated"


class Mode(Vocab):
    IN_PERSON = "in_person", "In person"
    VIRTUAL = "virtual", "Virtual (video call)"
    TELEPHONE = "telephone", "Telephone"
    HYBRID = "hybrid", "Hybrid"


class Urgency(Vocab):
    """Why the strategy discussion is as urgent as it is (guidance 000, 004)."""

    SERIOUS_HARM = "serious_harm", "Serious risk of harm (serious injury or serious neglect)"
    SEXUAL_ABUSE_FORENSIC = (
        "sexual_abuse_forensic",
        "Penetrative sexual abuse where forensic evidence may be lost",
    )
    IMMEDIATE_ACTION = "immediate_action", "Immediate action was taken by an agency"
    CRITICAL_INCIDENT = "critical_incident", "Significant event or critical incident"
    STANDARD = "standard", "Child protection concerns identified (standard)"
    CUMULATIVE = "cumulative", "Cumulative concerns or neglect"
    MISSING_72H = "missing_72h", "Child missing for 72 hours or longer"
    COMPLEX = (
        "complex",
        "Complex (fabricated or induced illness, organised abuse, allegations against staff)",
    )


class Concern(Vocab):
    PHYSICAL_ABUSE = "physical_abuse", "Physical abuse"
    SEXUAL_ABUSE = "sexual_abuse", "Sexual abuse"
    EMOTIONAL_ABUSE = "emotional_abuse", "Emotional abuse"
    NEGLECT = "neglect", "Neglect"
    DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse (including coercive control)"
    EXPLOITATION = "exploitation", "Exploitation (criminal or sexual)"
    TRAFFICKING = "trafficking", "Trafficking"
    ONLINE_ABUSE = "online_abuse", "Online abuse"
    RADICALISATION = "radicalisation", "Radicalisation"
    FABRICATED_ILLNESS = "fabricated_illness", "Fabricated or induced illness"
    ORGANISED_ABUSE = "organised_abuse", "Organised abuse"
    PROFESSIONAL_ALLEGATION = "professional_allegation", "Allegation against a professional"
    MISSING = "missing", "Missing or whereabouts unknown"
    PRE_BIRTH = "pre_birth", "Pre-birth (unborn child)"
    HARMFUL_SEXUAL_BEHAVIOUR = "harmful_sexual_behaviour", "Harmful sexual behaviour by a child"
    PERSON_POSING_RISK = "person_posing_risk", "Adult posing a risk in contact with the child"


class ChildRole(Vocab):
    SUBJECT = "subject", "Subject child"
    SIBLING = "sibling", "Sibling"
    HOUSEHOLD = "household", "Other child in the household"
    CONTACT = "contact", "Child in contact with the alleged abuser"
    UNBORN = "unborn", "Unborn child"


class ChildOutcome(Vocab):
    UNDECIDED = "undecided", "Not yet decided"
    SECTION_47 = "section_47", "Section 47 enquiry"
    CHILD_IN_NEED = "child_in_need", "Child in need assessment or services"
    EARLY_HELP = "early_help", "Early help"
    NO_FURTHER_ACTION = "no_further_action", "No further action"


class Agency(Vocab):
    SOCIAL_CARE = "social_care", "Children's social care"
    POLICE = "police", "Police"
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education (school or nursery)"
    LADO = "lado", "LADO"
    COMPLEX_SAFEGUARDING = "complex_safeguarding", "Complex safeguarding"
    YOUTH_JUSTICE = "youth_justice", "Youth justice or youth work"
    ADULT_MENTAL_HEALTH = "adult_mental_health", "Adult mental health"
    SUBSTANCE_MISUSE = "substance_misuse", "Substance misuse service"
    DOMESTIC_ABUSE_SPECIALIST = "domestic_abuse_specialist", "Domestic abuse specialist"
    BRITISH_TRANSPORT_POLICE = "british_transport_police", "British Transport Police"
    LEGAL = "legal", "Legal services"
    REFERRER = "referrer", "Referrer"
    OTHER = "other", "Other"


class Service(Vocab):
    """Who within an agency: the sub-types that attendance rules depend on."""

    SOCIAL_WORKER = "social_worker", "Social worker"
    TEAM_MANAGER = "team_manager", "Team manager"
    FOSTERING_RESIDENTIAL = "fostering_residential", "Fostering or residential service"
    EARLY_HELP = "early_help", "Early help"
    GP = "gp", "GP"
    HEALTH_VISITOR = "health_visitor", "Health visitor"
    SCHOOL_NURSE = "school_nurse", "School nurse"
    PAEDIATRICIAN = "paediatrician", "Paediatrician"
    MIDWIFERY = "midwifery", "Midwifery"
    SAFEGUARDING_NURSE = "safeguarding_nurse", "Named or designated safeguarding nurse"
    OTHER = "other", "Other"


SERVICES_BY_AGENCY: dict[Agency, tuple[Service, ...]] = {
    Agency.SOCIAL_CARE: (
        Service.SOCIAL_WORKER,
        Service.TEAM_MANAGER,
        Service.FOSTERING_RESIDENTIAL,
        Service.EARLY_HELP,
        Service.OTHER,
    ),
    Agency.HEALTH: (
        Service.GP,
        Service.HEALTH_VISITOR,
        Service.SCHOOL_NURSE,
        Service.PAEDIATRICIAN,
        Service.MIDWIFERY,
        Service.SAFEGUARDING_NURSE,
        Service.OTHER,
    ),
}


class Attendance(Vocab):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Apologies, information sent"
    ABSENT = "absent", "Absent"


class FamilySharing(Vocab):
    """May this item be shared with the family? (guidance 000, 001, 003)"""

    YES = "yes", "May be shared with the family"
    NO = "no", "Not to be shared with the family"
    UNDECIDED = "undecided", "Not yet decided"


class WithholdReason(Vocab):
    POLICE_INVESTIGATION = "police_investigation", "Would jeopardise a police investigation"
    RISK_TO_CHILD = "risk_to_child", "Would place the child at risk of harm"
    THIRD_PARTY = "third_party", "Third-party information"
    OTHER = "other", "Other reason"


class ActionStatus(Vocab):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class ActionCategory(Vocab):
    """Kinds of action that the guidance asks for by name; most actions are general."""

    GENERAL = "general", "General"
    SEE_CHILD = "see_child", "See the child (alone, unless contrary to their interests)"
    MEDICAL = "medical", "Medical assessment"
    INTERVIEW = "interview", "Interview (including ABE)"
    INFORM_FAMILY = "inform_family", "Inform the family"
    INFORM_AGENCY = "inform_agency", "Inform an absent agency"
    INFORM_REFERRER = "inform_referrer", "Tell the referrer the outcome"
    LEGAL = "legal", "Legal"


class SeenAlone(Vocab):
    """Was the child seen alone? (guidance 000 section 3: "if not seen alone, who was present
    and the reasons for their presence")"""

    ALONE = "alone", "Seen alone"
    NOT_ALONE = "not_alone", "Seen, not alone"


class Referrer(Vocab):
    """Who made the referral: feedback to a non-professional respects the child's
    confidentiality (guidance 002 section 8)."""

    PROFESSIONAL = "professional", "A practitioner or agency"
    NON_PROFESSIONAL = "non_professional", "A member of the public or of the family"
