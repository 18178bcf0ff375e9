"""Forms of cohort matching: choosing the people, and keeping or dropping a draft."""

from django import forms
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.models import MentorProfile, Program
from matching.models import DraftProposal
from matching.selectors import with_places_taken
from matching.suggestions import waiting_mentees


class CohortForm(forms.Form):
    """The waiting mentees and the mentors with a free place; all are chosen at first."""

    mentees = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Waiting mentees"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "Longest waiting first. Mentees with an open proposal are not listed."
        ),
        error_messages={"required": gettext_lazy("Choose at least one mentee.")},
    )
    mentors = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Active mentors with a free place"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one mentor.")},
    )

    def __init__(self, *args, program: Program, **kwargs):
        super().__init__(*args, **kwargs)
        mentees = waiting_mentees(program.pk).select_related("user")
        mentors = (
            with_places_taken(
                MentorProfile.objects.filter(program=program, status=MentorProfile.Status.ACTIVE)
            )
            .filter(capacity__gt=F("places_taken"))
            .select_related("user")
            .order_by("user__display_name", "pk")
        )
        self.fields["mentees"].queryset = mentees
        self.fields["mentors"].queryset = mentors
        self.fields["mentees"].label_from_instance = _mentee_label
        self.fields["mentors"].label_from_instance = _mentor_label
        mentee_ids = list(mentees.values_list("pk", flat=True))
        mentor_ids = list(mentors.values_list("pk", flat=True))
        self.fields["mentees"].label = _("Waiting mentees (%(count)d)") % {"count": len(mentee_ids)}
        self.fields["mentors"].label = _("Active mentors with a free place (%(count)d)") % {
            "count": len(mentor_ids)
        }
        if not self.is_bound:
            self.initial = {"mentees": mentee_ids, "mentors": mentor_ids}


def _mentee_label(mentee) -> str:
    days = mentee.days_waiting
    if days is None:
        return mentee.user.display_name
    return ngettext("%(name)s — waiting %(days)d day", "%(name)s — waiting %(days)d days", days) % {
        "name": mentee.user.display_name,
        "days": days,
    }


def _mentor_label(mentor) -> str:
    free = mentor.capacity - mentor.places_taken
    return ngettext(
        "%(name)s — %(free)d of %(capacity)d place free",
        "%(name)s — %(free)d of %(capacity)d places free",
        free,
    ) % {"name": mentor.user.display_name, "free": free, "capacity": mentor.capacity}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            (DraftProposal.Decision.KEEP, gettext_lazy("Keep")),
            (DraftProposal.Decision.DROP, gettext_lazy("Drop")),
        ],
        error_messages={"invalid_choice": gettext_lazy("Choose keep or drop.")},
    )
