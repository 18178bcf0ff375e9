"""Forms of group sessions: the session itself, its attendance and the list's filters.

``GroupSessionForm`` is a ModelForm so that the model's rules (a length of 5–480 minutes,
field lengths) are shown next to their field; it never saves: the views hand the cleaned
values to ``sessions.services``, which check the rules again and write in one transaction.
"""

import copy

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import MenteeProfile, MentorProfile, Program, User
from sessions.models import MAX_DURATION, MIN_DURATION, GroupAttendance, GroupSession, Topic
from sessions.selectors import is_program_staff
from sessions.services.groups import GROUP_FIELDS

DATETIME_WIDGET = forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"})


class GroupSessionForm(forms.ModelForm):
    """A support group, workshop or community event. ``program`` is chosen when planning a
    new one; only the program's staff choose the facilitators (the field is shown but locked
    for a facilitating mentor)."""

    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none())

    class Meta:
        model = GroupSession
        fields = [*GROUP_FIELDS, "facilitators"]
        widgets = {
            "starts_at": DATETIME_WIDGET,
            "notes": forms.Textarea(attrs={"rows": 3}),
            "facilitators": forms.CheckboxSelectMultiple,
            "duration_minutes": forms.NumberInput(attrs={"step": 5}),
        }
        help_texts = {
            "facilitators": _("Active mentors of the program."),
            "notes": _("Seen by the program's staff, its mentors and the group's attendees."),
        }

    def __init__(self, *args, user: User, instance: GroupSession | None = None, **kwargs):
        if instance is not None and instance.pk:
            instance = copy.copy(instance)  # the service must see the stored row
        super().__init__(*args, instance=instance, **kwargs)
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        current_topic = Q(pk=self.instance.topic_id) if self.instance.topic_id else Q()
        self.fields["topic"].queryset = Topic.objects.filter(Q(is_active=True) | current_topic)
        mentors = Q(status=MentorProfile.Status.ACTIVE)
        if self.instance.pk:
            del self.fields["program"]
            mentors &= Q(program_id=self.instance.program_id)
            mentors |= Q(pk__in=self.instance.facilitators.values("pk"))
            if not is_program_staff(user, self.instance.program_id):
                self.fields["facilitators"].disabled = True
                self.fields["facilitators"].help_text = _(
                    "The program's staff choose the facilitators."
                )
        else:
            programs = Program.objects.staffed_by(user).filter(is_active=True)
            self.fields["program"].queryset = programs.select_related("center")
            self.fields["program"].empty_label = None
            mentors &= Q(program__in=programs)
        self.order_fields(["program", *GROUP_FIELDS[:-1], "facilitators"])  # notes last
        # The model allows 5–480 minutes; say so in the browser as well.
        self.fields["duration_minutes"].widget.attrs.update(
            {"min": MIN_DURATION, "max": MAX_DURATION}
        )
        facilitators = self.fields["facilitators"]
        facilitators.queryset = (
            MentorProfile.objects.filter(mentors).select_related("user", "program").distinct()
        )
        several = self.instance.pk is None and len(self.fields["program"].queryset) > 1
        facilitators.label_from_instance = (
            (lambda m: f"{m.user.display_name} ({m.program.name})")
            if several
            else (lambda m: m.user.display_name)
        )

    def clean(self):
        cleaned = super().clean()
        program = cleaned.get("program") if "program" in self.fields else self.instance.program
        facilitators = cleaned.get("facilitators")
        if program and facilitators and not self.fields["facilitators"].disabled:
            strangers = [m for m in facilitators if m.program_id != program.pk]
            if strangers:
                self.add_error(
                    "facilitators",
                    _("Choose mentors of %(program)s: %(names)s is not one.")
                    % {
                        "program": program.name,
                        "names": ", ".join(m.user.display_name for m in strangers),
                    },
                )
        return cleaned

    def group_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in GROUP_FIELDS}

    def chosen_facilitators(self):
        """The facilitators to set, or None when this user may not change them."""
        if self.fields["facilitators"].disabled:
            return None
        return list(self.cleaned_data["facilitators"])


class GroupAttendanceForm(forms.Form):
    """One status per person on the list (once the group has started), a box to take a person
    off the list, and the mentees who can be added: any of the program's for staff, their own
    mentees for a facilitating mentor (mentors never browse the program's mentee list)."""

    add = forms.ModelMultipleChoiceField(
        label=_("Add mentees of the program"),
        queryset=MenteeProfile.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or ⌘) to choose several."),
    )

    STATUS_CHOICES = [
        (GroupAttendance.Status.ATTENDED, GroupAttendance.Status.ATTENDED.label),
        (GroupAttendance.Status.ABSENT, GroupAttendance.Status.ABSENT.label),
        (GroupAttendance.Status.EXPECTED, _("Not marked yet")),
    ]

    def __init__(self, *args, group: GroupSession, rows, marking_open: bool, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        self.marking_open = marking_open
        for row in self.rows:
            if marking_open:
                self.fields[f"status_{row.pk}"] = forms.ChoiceField(
                    label=row.mentee.user.display_name,
                    choices=self.STATUS_CHOICES,
                    initial=row.status,
                    widget=forms.RadioSelect,
                )
            self.fields[f"remove_{row.pk}"] = forms.BooleanField(
                label=_("Take %(name)s off the list") % {"name": row.mentee.user.display_name},
                required=False,
            )
        # Staff choose among the program's mentees; a facilitating mentor among their own.
        self.fields["add"].queryset = (
            MenteeProfile.objects.visible_to(user)
            .filter(program_id=group.program_id)
            .exclude(status=MenteeProfile.Status.EXITED)
            .exclude(pk__in=[row.mentee_id for row in self.rows])
            .select_related("user")
            .order_by("user__display_name")
        )
        self.fields["add"].label_from_instance = lambda mentee: mentee.user.display_name
        self.order_fields(["add"])  # after the per-person fields

    @property
    def people(self):
        """[(attendance row, status field or None, remove field)] for the table."""
        return [
            (
                row,
                self[f"status_{row.pk}"] if self.marking_open else None,
                self[f"remove_{row.pk}"],
            )
            for row in self.rows
        ]

    def statuses(self) -> dict[int, str]:
        if not self.marking_open:
            return {}
        return {row.pk: self.cleaned_data[f"status_{row.pk}"] for row in self.rows}

    def removed(self) -> list[int]:
        return [row.pk for row in self.rows if self.cleaned_data.get(f"remove_{row.pk}")]


WHEN_CHOICES = [
    ("upcoming", _("Upcoming")),
    ("past", _("Past")),
    ("all", pgettext_lazy("group sessions", "All")),
]


class GroupFilterForm(forms.Form):
    when = forms.ChoiceField(label=_("When"), choices=WHEN_CHOICES, required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    program = forms.ModelChoiceField(
        label=_("Program"), queryset=Program.objects.none(), required=False, empty_label=_("Any")
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Any")), *GroupSession.Kind.choices]
        programs = Program.objects.visible_to(user)
        if programs.count() > 1:
            self.fields["program"].queryset = programs
        else:
            del self.fields["program"]

    def value(self, name: str):
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) or None

    @property
    def period(self) -> str:
        """upcoming (the default), past or all."""
        return self.value("when") or "upcoming"
