"""Forms of the resource directory: an entry, the directory's search, a referral's follow-up
and the referral list's filters.

The entry and follow-up forms are ModelForms so that the rules written on the models (a valid
email and web address, how it went 1–5, lengths) are checked here too and shown next to their
field; they never save: the views hand the cleaned values to ``sessions.services``, which
check the rules again and write in one transaction.
"""

import copy

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Language, Program, User, validate_not_future
from sessions.models import Referral, Resource
from sessions.services.resources import RESOURCE_FIELDS

DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _on_a_copy(instance):
    """Validating a ModelForm writes the typed values onto its instance; the services must
    still see the row as stored, so the form works on a copy."""
    return copy.copy(instance) if instance is not None and instance.pk else instance


class ResourceForm(forms.ModelForm):
    """A directory entry as staff keep it. ``program`` is chosen when adding an entry."""

    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none())

    class Meta:
        model = Resource
        fields = [*RESOURCE_FIELDS, "languages"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "languages": forms.CheckboxSelectMultiple,
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }
        help_texts = {
            "languages": _("Languages the service can be used in, by staff or interpreters."),
            "is_active": _("Untick to take the entry off the directory; its history stays."),
            "website": _("The full address, e.g. https://example.org."),
        }

    def __init__(self, *args, user: User, instance=None, **kwargs):
        super().__init__(*args, instance=_on_a_copy(instance), **kwargs)
        if self.instance.pk:
            del self.fields["program"]
        else:
            programs = Program.objects.staffed_by(user).filter(is_active=True)
            self.fields["program"].queryset = programs.select_related("center")
            self.fields["program"].empty_label = None
            self.order_fields(["program"])
        current = Q(is_active=True)
        if self.instance.pk:
            current |= Q(pk__in=self.instance.languages.values("pk"))
        self.fields["languages"].queryset = Language.objects.filter(current)

    def _post_clean(self):
        # The program is not a model field of this form; set it so the model's checks run.
        if "program" in self.fields and self.cleaned_data.get("program"):
            self.instance.program = self.cleaned_data["program"]
        super()._post_clean()

    def resource_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in RESOURCE_FIELDS}


class ResourceFilterForm(forms.Form):
    """The directory's search and filters, read from the query string. An invalid value is
    shown next to its filter and left out; the others still apply."""

    q = forms.CharField(label=_("Name or what they offer"), required=False, max_length=100)
    category = forms.ChoiceField(label=_("Category"), required=False)
    language = forms.ModelChoiceField(
        label=_("Language"), queryset=Language.objects.none(), required=False, empty_label=_("Any")
    )
    program = forms.ModelChoiceField(
        label=_("Program"), queryset=Program.objects.none(), required=False, empty_label=_("Any")
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Any")), *Resource.Category.choices]
        self.fields["language"].queryset = Language.objects.filter(is_active=True)
        programs = Program.objects.visible_to(user)
        if programs.count() > 1:
            self.fields["program"].queryset = programs
        else:
            del self.fields["program"]

    def value(self, name: str):
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) or None

    def apply(self, queryset):
        if q := self.value("q"):
            queryset = queryset.filter(Q(name__icontains=q) | Q(description__icontains=q))
        if category := self.value("category"):
            queryset = queryset.filter(category=category)
        if language := self.value("language"):
            queryset = queryset.filter(languages=language)
        if program := self.value("program"):
            queryset = queryset.filter(program=program)
        return queryset


HELPFULNESS_CHOICES = [
    (1, _("1 — not helpful")),
    (2, _("2 — a little helpful")),
    (3, _("3 — somewhat helpful")),
    (4, _("4 — helpful")),
    (5, _("5 — very helpful")),
]


class ReferralFollowUpForm(forms.ModelForm):
    """Did the mentee connect with the service, and how did it go?"""

    follow_up = forms.ChoiceField(
        label=_("Did the mentee connect with the service?"),
        choices=[
            (Referral.FollowUp.CONNECTED, Referral.FollowUp.CONNECTED.label),
            (Referral.FollowUp.NOT_CONNECTED, Referral.FollowUp.NOT_CONNECTED.label),
        ],
        widget=forms.RadioSelect,
    )
    followed_up_on = forms.DateField(
        label=_("Date of the follow-up"),
        initial=timezone.localdate,
        validators=[validate_not_future],
        widget=DATE_WIDGET,
    )

    class Meta:
        model = Referral
        fields = ["follow_up", "helpfulness", "outcome_notes", "followed_up_on"]
        labels = {"helpfulness": _("How helpful was it? (only if they connected)")}
        widgets = {
            "helpfulness": forms.RadioSelect(choices=HELPFULNESS_CHOICES),
            "outcome_notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "outcome_notes": _("In a few words: what happened, what got in the way."),
        }

    def __init__(self, *args, instance: Referral, **kwargs):
        initial = kwargs.pop("initial", {})
        if instance.followed_up_on is None:
            initial.setdefault("followed_up_on", timezone.localdate())
        super().__init__(*args, instance=_on_a_copy(instance), initial=initial, **kwargs)

    def follow_up_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


FOLLOW_UP_FILTERS = [
    ("", _("Any")),
    (Referral.FollowUp.PENDING, _("Waiting for a follow-up")),
    (Referral.FollowUp.CONNECTED, Referral.FollowUp.CONNECTED.label),
    (Referral.FollowUp.NOT_CONNECTED, Referral.FollowUp.NOT_CONNECTED.label),
]


class ReferralFilterForm(forms.Form):
    follow_up = forms.ChoiceField(label=_("Follow-up"), choices=FOLLOW_UP_FILTERS, required=False)
    resource = forms.ModelChoiceField(
        label=_("Resource"), queryset=Resource.objects.none(), required=False, empty_label=_("Any")
    )

    def __init__(self, *args, resources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = resources

    def value(self, name: str):
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) or None

    def apply(self, queryset):
        if follow_up := self.value("follow_up"):
            queryset = queryset.filter(follow_up=follow_up)
        if resource := self.value("resource"):
            queryset = queryset.filter(resource=resource)
        return queryset
