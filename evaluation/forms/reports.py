"""Forms of the dashboards, the reports and the stakeholder feedback loops."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Center, Language
from accounts.services import DomainError
from evaluation.metrics import AGE_BANDS
from evaluation.models import ReportComment, StakeholderMeetingNote, StakeholderResponse
from evaluation.services.reports import check_period

DEFAULT_DAYS = 90


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PeriodMixin:
    """``start`` and ``end`` checked by the one rule of ``check_period``."""

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            try:
                check_period(start=start, end=end, today=timezone.localdate())
            except DomainError as error:
                self.add_error(error.field, error.message)
        return data


class DashboardFilterForm(forms.Form):
    """The dashboard's filters (GET). Left empty, the period is the last 90 days."""

    YES_NO = [("", _("Everyone")), ("yes", _("Only IDD-MH")), ("no", _("Not IDD-MH"))]

    program = forms.ModelChoiceField(
        queryset=None, required=False, empty_label=_("All my programs"), label=_("Program")
    )
    center = forms.ModelChoiceField(
        queryset=None, required=False, empty_label=_("All centers"), label=_("Center")
    )
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To"), required=False, widget=DateInput())
    idd_mh = forms.ChoiceField(label=_("IDD-MH"), choices=YES_NO, required=False)
    age_band = forms.ChoiceField(
        label=_("Age"),
        choices=[("", _("All ages"))] + [(band, band) for band in AGE_BANDS],
        required=False,
    )
    language = forms.ModelChoiceField(
        queryset=Language.objects.filter(is_active=True),
        required=False,
        empty_label=_("All languages"),
        label=_("Language"),
    )

    def __init__(self, data=None, *, programs, **kwargs):
        super().__init__(data, **kwargs)
        self.programs = programs
        self.fields["program"].queryset = programs.select_related("center")
        self.fields["center"].queryset = Center.objects.filter(pk__in=programs.values("center_id"))

    def clean(self):
        data = super().clean()
        if "start" in self.errors or "end" in self.errors:
            return data
        today = timezone.localdate()
        data["end"] = data.get("end") or today
        data["start"] = data.get("start") or data["end"] - datetime.timedelta(days=DEFAULT_DAYS - 1)
        try:
            check_period(start=data["start"], end=data["end"], today=today)
        except DomainError as error:
            self.add_error(error.field, error.message)
        return data

    def scope_kwargs(self) -> dict:
        data = self.cleaned_data
        programs = self.programs
        if data.get("program"):
            programs = programs.filter(pk=data["program"].pk)
        idd = {"yes": True, "no": False}.get(data.get("idd_mh") or "")
        return {
            "programs": programs,
            "start": data["start"],
            "end": data["end"],
            "center_id": data["center"].pk if data.get("center") else None,
            "idd_mh": idd,
            "age_band": data.get("age_band") or "",
            "language_id": data["language"].pk if data.get("language") else None,
        }


class ReportRequestForm(PeriodMixin, forms.Form):
    program = forms.ModelChoiceField(queryset=None, label=_("Program"))
    start = forms.DateField(label=_("Period start"), widget=DateInput())
    end = forms.DateField(label=_("Period end"), widget=DateInput())

    def __init__(self, data=None, *, programs, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["program"].queryset = programs


class ReportCommentForm(forms.ModelForm):
    class Meta:
        model = ReportComment
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class StakeholderResponseForm(forms.ModelForm):
    working_together = forms.TypedChoiceField(
        label=StakeholderResponse._meta.get_field("working_together").verbose_name,
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = StakeholderResponse
        fields = ["progress", "working_together", "kept_informed", "wants_contact", "comment"]
        widgets = {
            "progress": forms.RadioSelect,
            "comment": forms.Textarea(attrs={"rows": 3}),
        }


class MeetingNoteForm(forms.ModelForm):
    attendee_roles = forms.MultipleChoiceField(
        label=_("Who took part"),
        choices=StakeholderMeetingNote.Role.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = StakeholderMeetingNote
        fields = ["met_on", "attendee_roles", "summary", "follow_up_actions"]
        widgets = {
            "met_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "follow_up_actions": forms.Textarea(attrs={"rows": 3}),
        }
