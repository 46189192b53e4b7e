"""Read meeting forms from TOML files, strictly: a bad file gets an error naming file, place and problem."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from s47desk.checks.registry import ALWAYS, CHECKS, DECISIONS_ASKED
from s47desk.errors import UserError
from s47desk.fields import FIELDS
from s47desk.forms.definition import FormDefinition, Step
from s47desk.vocab import Concern

BUILTIN_DIR = Path(__file__).with_name("builtin")
_ID = re.compile(r"^[a-z][a-z0-9_]{0,59}$")
_FORM_KEYS = {"id", "version", "title", "summary", "implies_concerns", "follow_up", "steps"}
_STEP_KEYS = {"id", "title", "purpose", "prompts", "fields", "checks"}


class FormError(ValueError, UserError):
    """A form file is not valid."""


class FormRegistry:
    """The forms available to this installation, built-in ones first, by id."""

    def __init__(self, forms: Iterable[FormDefinition]) -> None:
        self._forms: dict[str, FormDefinition] = {}
        for form in forms:
            self._forms[form.id] = form

    def __iter__(self) -> Iterator[FormDefinition]:
        return iter(self._forms.values())

    def __contains__(self, form_id: object) -> bool:
        return form_id in self._forms

    def get(self, form_id: str) -> FormDefinition:
        try:
            return self._forms[form_id]
        except KeyError:
            known = ", ".join(self._forms)
            raise FormError(f"unknown meeting form {form_id!r}; known forms: {known}") from None

    def ids(self) -> list[str]:
        return list(self._forms)


def load_forms(local_dir: Path | None = None) -> FormRegistry:
    """Built-in forms, then the local authority's ``*.toml`` files (same id adapts a form)."""
    paths = sorted(BUILTIN_DIR.glob("*.toml"))
    if local_dir is not None and local_dir.is_dir():
        paths += sorted(local_dir.glob("*.toml"))
    return FormRegistry(load_form_file(p) for p in paths)


def load_form_file(path: Path) -> FormDefinition:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise FormError(f"{path}: cannot be read ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise FormError(f"{path}: not valid TOML ({exc})") from None
    return parse_form(data, str(path))


def parse_form(data: dict[str, Any], where: str) -> FormDefinition:
    _keys(data, _FORM_KEYS, {"id", "version", "title", "steps"}, where, "")
    form_id = _text(data, "id", where, "")
    if not _ID.match(form_id):
        raise FormError(f"{where}: id {form_id!r} must be lower-case letters, digits and _")
    version = data["version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise FormError(f"{where}: version must be a whole number from 1, not {version!r}")
    concerns = _strings(data, "implies_concerns", where, "")
    known_concerns = {c.value for c in Concern}
    for i, concern in enumerate(concerns):
        if concern not in known_concerns:
            raise FormError(
                f"{where}: implies_concerns[{i}]: unknown concern {concern!r}; "
                f"known: {', '.join(sorted(known_concerns))}"
            )
    raw_steps = data["steps"]
    if not isinstance(raw_steps, list) or not raw_steps:
        raise FormError(f"{where}: steps must be a non-empty list of [[steps]] tables")
    steps = tuple(_step(raw, where, f"steps[{i}]") for i, raw in enumerate(raw_steps))
    _unique(steps, where)
    follow_up = data.get("follow_up", False)
    if not isinstance(follow_up, bool):
        raise FormError(f"{where}: follow_up must be true or false, not {follow_up!r}")
    form = FormDefinition(
        id=form_id,
        version=version,
        title=_text(data, "title", where, ""),
        summary=str(data.get("summary", "")),
        steps=steps,
        implies_concerns=frozenset(concerns),
        follow_up=follow_up,
        source=where,
    )
    _contract(form, where)
    return form


def _contract(form: FormDefinition, where: str) -> None:
    """Every field a check this form enables can point at is a field the form shows, so a
    finding always leads to something the chair can put right."""
    shown = set(form.fields)
    enabled = [(s.id, code) for s in form.steps for code in s.checks]
    enabled += [(form.steps[-1].id, code) for code in ALWAYS]
    for step_id, code in enabled:
        for field_id in CHECKS[code].fields:
            if field_id == DECISIONS_ASKED or field_id in shown:
                continue
            raise FormError(
                f"{where}: step {step_id!r} enables check {code!r}, which can point at field "
                f"{field_id!r} ({FIELDS[field_id].label}), but the form does not show that "
                f"field: add it to a step, or remove the check"
            )


def _step(raw: Any, where: str, at: str) -> Step:
    if not isinstance(raw, dict):
        raise FormError(f"{where}: {at} must be a table")
    _keys(raw, _STEP_KEYS, {"id", "title", "purpose"}, where, at + ".")
    step_id = _text(raw, "id", where, at + ".")
    if not _ID.match(step_id):
        raise FormError(f"{where}: {at}.id {step_id!r} must be lower-case letters, digits and _")
    fields = _strings(raw, "fields", where, at + ".")
    for i, field_id in enumerate(fields):
        if field_id not in FIELDS:
            raise FormError(f"{where}: {at}.fields[{i}]: unknown field {field_id!r}")
    checks = _strings(raw, "checks", where, at + ".")
    for i, code in enumerate(checks):
        if code not in CHECKS:
            raise FormError(
                f"{where}: {at}.checks[{i}]: unknown check {code!r} "
                f"(see `s47desk checks` for the list)"
            )
    return Step(
        id=step_id,
        title=_text(raw, "title", where, at + "."),
        purpose=_text(raw, "purpose", where, at + "."),
        prompts=tuple(_strings(raw, "prompts", where, at + ".")),
        fields=tuple(fields),
        checks=tuple(checks),
    )


def _unique(steps: tuple[Step, ...], where: str) -> None:
    seen: dict[str, str] = {}
    for step in steps:
        for thing in (f"step id {step.id!r}", *(f"check {c!r}" for c in step.checks)):
            if thing in seen:
                raise FormError(f"{where}: {thing} appears in step {seen[thing]!r} and {step.id!r}")
            seen[thing] = step.id
        for field_id in step.fields:
            key = f"field {field_id!r}"
            if key in seen:
                raise FormError(f"{where}: {key} appears in step {seen[key]!r} and {step.id!r}")
            seen[key] = step.id


def _keys(data: dict[str, Any], allowed: set[str], required: set[str], where: str, at: str) -> None:
    for key in data:
        if key not in allowed:
            raise FormError(
                f"{where}: {at}{key} is not a form setting; allowed: {', '.join(sorted(allowed))}"
            )
    for key in sorted(required):
        if key not in data:
            raise FormError(f"{where}: {at}{key} is missing")


def _text(data: dict[str, Any], key: str, where: str, at: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise FormError(f"{where}: {at}{key} must be non-empty text")
    return value.strip()


def _strings(data: dict[str, Any], key: str, where: str, at: str) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise FormError(f"{where}: {at}{key} must be a list of non-empty text")
    return [v.strip() for v in value]
