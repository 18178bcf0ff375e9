"""The check-in form. The rules (dates, who may log) are in ``matching.services.support``."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matching.forms.lifecycle import DateInput
from matching.models import SupportContact

HEALTH_CHOICES = [
    (1, _("1 — struggling")),
    (2, _("2 — difficult")),
    (3, _("3 — getting by")),
    (4, _("4 — going well")),
    (5, _("5 — going very well")),
]


class SupportContactForm(forms.Form):
    contact_date = forms.DateField(
        label=_("Date of the check-in"), initial=timezone.localdate, widget=DateInput()
    )
    with_whom = forms.ChoiceField(
        label=_("With"), choices=SupportContact.With.choices, widget=forms.RadioSelect
    )
    method = forms.ChoiceField(label=_("How"), choices=SupportContact.Method.choices)
    relationship_health = forms.TypedChoiceField(
        label=_("How is the relationship going?"),
        choices=HEALTH_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("As the person describes it. 2 or lower lets the supervisors know."),
    )
    concerns = forms.CharField(
        label=_("Concerns"),
        required=False,
        max_length=SupportContact._meta.get_field("concerns").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Staff only: mentors and mentees never see this."),
    )
    follow_up_needed = forms.BooleanField(label=_("Follow-up needed"), required=False)
