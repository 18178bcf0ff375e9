"""Forms for the match lifecycle actions.

Each carries ``expected_status``, the state the person saw when the page was drawn: if the
match changed meanwhile (another tab, another person), the service refuses and nothing
changes. The rules themselves (a reason is needed, both must agree...) are the services'; the
views show their messages next to the field they name.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Goal
from matching.models import Match


class DateInput(forms.DateInput):
    """The browser's date picker; it sends and shows dates as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _text(label, *, help_text="", rows=2, max_length=2000):
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ActionForm(forms.Form):
    action = ""  # the lifecycle action; several forms share a page, so it prefixes the ids
    expected_status = forms.ChoiceField(choices=Match.Status.choices, widget=forms.HiddenInput)

    def __init__(self, *args, match: Match, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("expected_status", match.status)
        kwargs.setdefault("auto_id", f"id_{self.action}_%s")
        super().__init__(*args, **kwargs)
        self.match = match

    def clean(self):
        cleaned = super().clean()
        if "expected_status" in self.errors:
            # A hidden field has nowhere to show its error: say it above the form.
            self.add_error(None, _("This page is out of date. Please reload it and try again."))
        return cleaned


class ApproveForm(ActionForm):
    action = "approve"
    note = _text(_("Note (optional)"))


class DeclineForm(ActionForm):
    action = "decline"
    reason = _text(_("Why is the match declined?"), rows=3)


class WithdrawForm(ActionForm):
    action = "withdraw"
    reason = _text(_("Why is the proposal withdrawn?"), rows=3)


class StartForm(ActionForm):
    action = "start"
    introduced_on = forms.DateField(
        label=_("Date of the introduction meeting"),
        initial=timezone.localdate,
        widget=DateInput(),
    )
    both_agreed = forms.BooleanField(
        label=_("Both the mentee and the mentor agreed to the match"), required=False
    )
    note = _text(_("Note (optional)"))


class PauseForm(ActionForm):
    action = "pause"
    reason = _text(_("Why is the match paused?"), rows=3)


class ResumeForm(ActionForm):
    action = "resume"
    note = _text(_("Note (optional)"))


class RematchForm(ActionForm):
    action = "rematch"


class CloseForm(ActionForm):
    action = "close"
    reason = forms.ChoiceField(
        label=_("Why does the match end?"),
        choices=[("", _("Choose a reason")), *Match.CloseReason.choices],
        required=False,
    )
    notes = _text(
        _("How did the match end?"),
        help_text=_("A few words for the program's records. Mentors and mentees do not see them."),
        rows=4,
        max_length=4000,
    )
    goals_achieved = forms.ModelMultipleChoiceField(
        label=_("Goals the mentee achieved"),
        queryset=Goal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    rematch = forms.BooleanField(
        label=_("Find a new mentor for the mentee"),
        required=False,
        help_text=_(
            "The mentee goes back on the waiting list and the next proposal is linked to "
            "this match. Implied by the reason “Rematch”."
        ),
    )

    def __init__(self, *args, match: Match, **kwargs):
        super().__init__(*args, match=match, **kwargs)
        goals = match.mentee.goals.exclude(status=Goal.Status.SET_ASIDE).order_by("created_at")
        self.fields["goals_achieved"].queryset = goals
        self.fields["goals_achieved"].initial = [
            goal.pk for goal in goals if goal.status == Goal.Status.ACHIEVED
        ]
        if not goals:
            self.fields["goals_achieved"].help_text = _("The mentee has no goals written down.")


ACTION_FORMS = {
    "approve": ApproveForm,
    "decline": DeclineForm,
    "withdraw": WithdrawForm,
    "start": StartForm,
    "pause": PauseForm,
    "resume": ResumeForm,
    "close": CloseForm,
    "rematch": RematchForm,
}


class MatchFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status")), *Match.Status.choices], required=False
    )
    program = forms.ModelChoiceField(
        label=_("Program"),
        queryset=None,
        required=False,
        empty_label=_("All my programs"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )

    def __init__(self, *args, programs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = programs

    def apply(self, matches):
        if not self.is_valid():
            return matches
        if self.cleaned_data["status"]:
            matches = matches.filter(status=self.cleaned_data["status"])
        if self.cleaned_data["program"]:
            matches = matches.filter(program=self.cleaned_data["program"])
        return matches
