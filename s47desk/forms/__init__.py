"""Meeting forms: declarative agenda definitions, built in and added by a local authority."""

from s47desk.forms.definition import FormDefinition, Step
from s47desk.forms.loader import FormError, FormRegistry, load_form_file, load_forms

__all__ = ["FormDefinition", "FormError", "FormRegistry", "Step", "load_form_file", "load_forms"]
