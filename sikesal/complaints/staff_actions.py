"""Taking one staff action from submitted input: the staff console's and the API's one path.

`StaffActionInput` binds the action's form (`staff_forms.ACTION_FORMS`), the route formset
for `route`, and the photos (uploaded now, or staged earlier by id) to what was posted;
`take()` validates it and calls `workflow.transition`. The console posts prefixed fields
(`update-note`); the API posts the same fields without a prefix. Who may take the action
is `workflow.available_actions`, asked by the caller first: `transition` checks again and
raises `InvalidTransition` (nothing changed) when the table says no.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

from sikesal.accounts.models import User
from sikesal.complaints import services
from sikesal.complaints.models import Assignment, Complaint, ComplaintEvent, ComplaintPhoto
from sikesal.complaints.staff_forms import (
    ACTION_FORMS,
    ActionForm,
    RouteAgencyFormSet,
    add_workflow_errors,
)
from sikesal.complaints.workflow import transition

ROUTE_PREFIX = "route-agencies"


@dataclass
class StaffActionInput:
    """One staff action's posted input, bound to its form (and formset, and photos)."""

    action: str
    complaint: Complaint
    user: User
    form: ActionForm
    formset: RouteAgencyFormSet | None = None
    # Photos staged for this form: earlier (by id) and, once validated, those uploaded now.
    staged: list[ComplaintPhoto] = field(default_factory=list)
    # The workflow's refusal of the payload, also put on the form (`add_workflow_errors`).
    workflow_error: ValidationError | None = None

    @classmethod
    def bind(
        cls,
        action: str,
        complaint: Complaint,
        user: User,
        data: QueryDict,
        files: MultiValueDict | None = None,
        *,
        prefix: str | None = None,
    ) -> "StaffActionInput":
        form = ACTION_FORMS[action](data, files, prefix=prefix)
        formset = RouteAgencyFormSet(data, prefix=ROUTE_PREFIX) if action == "route" else None
        staged = []
        if "photos" in form.fields:
            staged = services.staged_photos(
                user=user, ids=data.getlist(form.add_prefix("photo_ids"))
            )
        return cls(action, complaint, user, form, formset, staged)

    @property
    def has_photos(self) -> bool:
        return "photos" in self.form.fields

    def is_valid(self) -> bool:
        """Validate the form and formset, and stage the photos uploaded with them (kept even
        when another field is wrong: nobody should have to pick them again)."""
        valid = self.form.is_valid() & (self.formset is None or self.formset.is_valid())
        if self.has_photos:
            for upload in self.form.cleaned_data.get("photos") or []:
                try:
                    self.staged.append(services.photo_stage(upload=upload, uploaded_by=self.user))
                except ValidationError as error:
                    self.form.add_error("photos", error)
                    valid = False
        return valid

    def take(self, assignment: Assignment | None) -> ComplaintEvent | None:
        """Validate and take the action on `assignment` (None: on the complaint); the event,
        or None when the input is wrong (the errors are on the form then).

        Raises `InvalidTransition` when the workflow refuses; nothing has changed then.
        """
        if not self.is_valid():
            return None
        payload = self.form.payload()
        if self.has_photos:
            payload["photos"] = self.staged
        if self.formset is not None:
            payload["routes"] = self.formset.routes(self.form.cleaned_data.get("lead"))
        try:
            return transition(
                self.complaint,
                self.action,
                actor=self.user,
                assignment=assignment,
                note=self.form.cleaned_data.get("note") or "",
                **payload,
            )
        except ValidationError as error:
            self.workflow_error = error
            add_workflow_errors(self.form, error)
            return None
