"""An action's JSON body as the form data the staff console posts, and a form's errors as
the API's field errors.

The API takes each action through the console's own form classes
(`staff_forms.ACTION_FORMS`, via `staff_actions.StaffActionInput`), so a JSON body becomes
the fields a browser would post: text stays text, `public` true/false becomes "1"/"0",
`routes` becomes the route formset's rows. A value of the wrong JSON type (a number, a
list, an object or null where text is expected) is an input error, never guessed at.
Form and multipart bodies are taken as they are (the console's field names, no prefix).
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import QueryDict
from django.utils.translation import gettext as _
from rest_framework import exceptions

from sikesal.complaints.staff_actions import ROUTE_PREFIX, StaffActionInput
from sikesal.complaints.staff_forms import ACTION_FORMS, RouteAgencyFormSet

MAX_ROUTES = RouteAgencyFormSet.absolute_max
MAX_PHOTO_IDS = 20


def action_form_data(action: str, data) -> QueryDict:
    """The request body of `action` as form data; 400 for values of the wrong type."""
    if isinstance(data, QueryDict):
        return data
    if not isinstance(data, dict):
        raise exceptions.ValidationError(
            {"non_field_errors": [_("Kirim sebuah objek JSON dengan isian tindakan.")]}
        )
    fields = ACTION_FORMS[action]().fields
    form_data = QueryDict(mutable=True)
    errors: dict[str, list[str]] = {}
    for name, value in data.items():
        if name == "photo_ids" and "photos" in fields:
            ids = _photo_ids(value)
            if ids is None:
                errors[name] = [_("Daftar nomor foto (bilangan bulat).")]
            else:
                form_data.setlist(name, ids)
        elif name == "routes" and action == "route":
            rows = _route_rows(value)
            if rows is None:
                errors[name] = [
                    _("Daftar OPD tujuan, paling banyak %(max)d, masing-masing sebuah objek.")
                    % {"max": MAX_ROUTES}
                ]
            else:
                form_data.update(rows)
        elif name in fields:
            text = _field_text(fields[name], value)
            if text is None:
                errors[name] = [_field_type_message(fields[name])]
            else:
                form_data[name] = text
    if errors:
        raise exceptions.ValidationError(errors)
    if action == "route" and "routes" not in data:
        # No rows: the workflow says an agency is needed, not the formset's plumbing.
        form_data.update(_route_rows([]))
    return form_data


def _field_text(field: forms.Field, value) -> str | None:
    if isinstance(field, forms.IntegerField):
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return value if isinstance(value, str) else None
    if _is_yes_no(field) and isinstance(value, bool):
        return "1" if value else "0"
    return value if isinstance(value, str) else None


def _is_yes_no(field: forms.Field) -> bool:
    choices = getattr(field, "choices", None)
    return choices is not None and {str(key) for key, _label in choices} == {"1", "0"}


def _field_type_message(field: forms.Field) -> str:
    if isinstance(field, forms.IntegerField):
        return _("Harus berupa bilangan bulat.")
    if _is_yes_no(field):
        return _("Harus true atau false.")
    return _("Harus berupa teks.")


def _photo_ids(value) -> list[str] | None:
    if not isinstance(value, list) or len(value) > MAX_PHOTO_IDS:
        return None
    if not all(isinstance(item, int) and not isinstance(item, bool) for item in value):
        return None
    return [str(item) for item in value]


def _route_rows(value) -> dict[str, str] | None:
    """`routes` ([{"agency", "instructions", "lead"}, ...]) as the route formset's fields,
    and `lead` as the index of the leading row (none when not exactly one leads: the
    workflow then says which is wrong)."""
    if not isinstance(value, list) or len(value) > MAX_ROUTES:
        return None
    rows = {
        f"{ROUTE_PREFIX}-TOTAL_FORMS": str(len(value)),
        f"{ROUTE_PREFIX}-INITIAL_FORMS": "0",
    }
    leads = []
    for index, route in enumerate(value):
        if not isinstance(route, dict):
            return None
        agency = route.get("agency")
        instructions = route.get("instructions", "")
        lead = route.get("lead", False)
        if (
            not isinstance(agency, str)
            or not isinstance(instructions, str)
            or not isinstance(lead, bool)
        ):
            return None
        rows[f"{ROUTE_PREFIX}-{index}-agency"] = agency
        rows[f"{ROUTE_PREFIX}-{index}-instructions"] = instructions
        if lead:
            leads.append(index)
    if len(leads) == 1:
        rows["lead"] = str(leads[0])
    return rows


def input_errors(submitted: StaffActionInput) -> dict[str, list[str]]:
    """The errors left on an action's form and route formset, as the API's field errors."""
    errors: dict[str, list[str]] = {}
    for name, messages in submitted.form.errors.items():
        errors["non_field_errors" if name == "__all__" else name] = [str(m) for m in messages]
    refusal = submitted.workflow_error
    if refusal is not None and hasattr(refusal, "error_dict"):
        # The page shows the workflow's errors on what it has no field for (`routes`) at
        # the top of the form; the API names them.
        named = {
            name: list(messages)
            for name, messages in refusal.message_dict.items()
            if name not in submitted.form.fields and name != NON_FIELD_ERRORS
        }
        moved = {message for messages in named.values() for message in messages}
        rest = [m for m in errors.pop("non_field_errors", []) if m not in moved]
        errors.update(named)
        if rest:
            errors["non_field_errors"] = rest
    if submitted.formset is not None and submitted.formset.is_bound:
        for index, row in enumerate(submitted.formset.forms):
            for name, messages in row.errors.items():
                errors[f"routes.{index}.{name}"] = [str(m) for m in messages]
        if messages := submitted.formset.non_form_errors():
            errors["routes"] = [str(m) for m in messages]
    return errors or {"non_field_errors": [_("Periksa isian yang ditandai.")]}
