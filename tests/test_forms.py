"""Meeting forms are data: built-in ones load, a local authority's file adapts them, bad files are named."""

from __future__ import annotations

from pathlib import Path

import pytest

from s47desk.checks import CHECKS
from s47desk.checks.runner import ALWAYS
from s47desk.fields import FIELDS
from s47desk.forms import FormError, FormRegistry, load_form_file, load_forms
from s47desk.forms.loader import BUILTIN_DIR

BUILTIN = {"initial", "review", "pre_birth", "lado", "missing", "exploitation"}


def test_builtin_forms(forms: FormRegistry) -> None:
    assert set(forms.ids()) == BUILTIN
    initial = forms.get("initial")
    assert [s.title for s in initial.steps] == [
        "Details and children",
        "Parents, carers and household",
        "Attendance",
        "Information sharing",
        "Analysis and the child's voice",
        "Criminal investigation",
        "Section 47 and other decisions",
        "Action plan and contingency",
        "Review and sign",
    ]
    for form in forms:
        for step in form.steps:
            assert step.prompts, f"{form.id}.{step.id} has no prompts for the chair"
            assert all(f in FIELDS for f in step.fields)


def test_every_check_is_used_by_a_builtin_form(forms: FormRegistry) -> None:
    used = set().union(*(f.checks for f in forms))
    assert used | set(ALWAYS) == set(CHECKS)


def test_step_for_check_and_field(forms: FormRegistry) -> None:
    form = forms.get("initial")
    step = form.step_for_check("attendance.police")
    assert step is not None and step.id == "attendance"
    field_step = form.step_for_field("decision.s47")
    assert field_step is not None and field_step.id == "decisions"


def test_a_local_form_adapts_a_builtin_one(tmp_path: Path) -> None:
    text = (BUILTIN_DIR / "initial.toml").read_text(encoding="utf-8")
    adapted = text.replace(
        'title = "Initial strategy discussion"', 'title = "Initial strategy meeting (Northbridge)"'
    )
    (tmp_path / "initial.toml").write_text(adapted, encoding="utf-8")
    extra = text.replace('id = "initial"', 'id = "northbridge_trial"')
    (tmp_path / "trial.toml").write_text(extra, encoding="utf-8")
    forms = load_forms(tmp_path)
    assert forms.get("initial").title == "Initial strategy meeting (Northbridge)"
    assert "northbridge_trial" in forms


def test_unknown_form_id_is_named(forms: FormRegistry) -> None:
    with pytest.raises(FormError, match=r"unknown meeting form 'nope'; known forms: .*initial"):
        forms.get("nope")


VALID_STEP = '[[steps]]\nid = "one"\ntitle = "One"\npurpose = "P"\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('id = "x"\nversion = 1\ntitle = "X"\n', "steps is missing"),
        ('id = "X Y"\nversion = 1\ntitle = "X"\n' + VALID_STEP, "id 'X Y' must be lower-case"),
        ('id = "x"\nversion = 0\ntitle = "X"\n' + VALID_STEP, "version must be a whole number"),
        ('id = "x"\nversion = 1\ntitle = ""\n' + VALID_STEP, "title must be non-empty text"),
        ('id = "x"\nversion = 1\ntitle = "X"\ncolour = 1\n' + VALID_STEP, "colour is not a form setting"),
        ('id = "x"\nversion = 1\ntitle = "X"\n' + VALID_STEP + 'checks = ["decision.nope"]\n',
         "steps[0].checks[0]: unknown check 'decision.nope'"),
        ('id = "x"\nversion = 1\ntitle = "X"\n' + VALID_STEP + 'fields = ["meeting.shoe_size"]\n',
         "steps[0].fields[0]: unknown field 'meeting.shoe_size'"),
        ('id = "x"\nversion = 1\ntitle = "X"\n' + VALID_STEP + VALID_STEP, "step id 'one' appears"),
        ('id = "x"\nversion = 1\ntitle = "X"\n' + VALID_STEP + 'prompts = "Say hello"\n',
         "steps[0].prompts must be a list"),
        ('id = "x"\nversion = 1\ntitle = "X"\nimplies_concerns = ["aliens"]\n' + VALID_STEP,
         "implies_concerns[0]: unknown concern 'aliens'"),
        ('id = "x"\nversion = 1\ntitle = "X"\nsteps = []\n', "steps must be a non-empty list"),
        ('id = "x"\nversion = 1\n[[steps]\n', "not valid TOML"),
    ],
)  # fmt: skip
def test_bad_form_files_get_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormError) as error:
        load_form_file(path)
    assert message in str(error.value)
    assert str(path) in str(error.value)


def test_a_bad_local_form_stops_loading_with_its_name(tmp_path: Path) -> None:
    (tmp_path / "broken.toml").write_text("id = 1\n", encoding="utf-8")
    with pytest.raises(FormError, match=r"broken\.toml"):
        load_forms(tmp_path)


def test_every_builtin_form_shows_every_field_its_checks_can_point_at(forms: FormRegistry) -> None:
    for form in forms:
        for code in (*form.checks, *ALWAYS):
            for field_id in CHECKS[code].fields:
                assert field_id == "decision.*" or form.asks(field_id), (form.id, code, field_id)


def test_the_lado_rule_applies_to_any_discussion(forms: FormRegistry) -> None:
    """Ticking "allegation against a professional" can happen on any form: each shows the
    LADO fields, which say in data that they matter only then (the window shows them then)."""
    for form in forms:
        assert {"attendance.lado", "lado.suspected_on"} <= form.checks
        for field_id in ("meeting.lado_notified_on", "meeting.abuse_suspected_on"):
            assert form.asks(field_id), (form.id, field_id)
            condition = FIELDS[field_id].only_when
            assert condition is not None and condition.concern == "professional_allegation"


def test_a_form_whose_check_points_at_a_field_it_does_not_show_is_refused(
    tmp_path: Path,
) -> None:
    text = (BUILTIN_DIR / "initial.toml").read_text(encoding="utf-8")
    assert '"meeting.lado_notified_on", ' in text
    path = tmp_path / "no_lado.toml"
    path.write_text(text.replace('"meeting.lado_notified_on", ', ""), encoding="utf-8")
    with pytest.raises(FormError) as error:
        load_form_file(path)
    message = str(error.value)
    assert str(path) in message and "'deadline.lado'" in message
    assert "'meeting.lado_notified_on' (LADO notified on)" in message
    assert "the form does not show that field" in message


def test_every_form_shows_the_sign_off_that_record_altered_reports(tmp_path: Path) -> None:
    form = 'id = "x"\nversion = 1\ntitle = "X"\n' + VALID_STEP + 'fields = ["meeting.reason"]\n'
    path = tmp_path / "x.toml"
    path.write_text(form, encoding="utf-8")
    with pytest.raises(FormError, match=r"'record\.altered', which can point at field 'signoff'"):
        load_form_file(path)
    path.write_text(form.replace('["meeting.reason"]', '["meeting.reason", "signoff"]'))
    assert load_form_file(path).asks("signoff")
