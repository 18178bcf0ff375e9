"""Forms for the mentee referral intake, mentor records and the staff lists' filters.

The profile forms are ModelForms so that every rule written on the models (lengths, choices,
dates not in the future, the age range, a capacity of 1–10) is checked here as well and shown
next to its field. They never save: views hand ``person_data()`` and ``profile_data()`` to
``accounts.services``, which check the same rules again and write everything in one
transaction.
"""

import copy

from django import forms
from django.db.models import Case, ExpressionWrapper, F, IntegerField, Q, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import (
    AVAILABILITY_CHOICES,
    DAY_PARTS,
    DAYS,
    Consent,
    Interest,
    Language,
    LifeGoalArea,
    LivedExperience,
    MenteeProfile,
    MentorProfile,
    Modality,
    Program,
    User,
    validate_not_future,
)
from accounts.services.people import (
    M2M_FIELDS,
    MENTEE_FIELDS,
    MENTOR_FIELDS,
    PERSON_FIELDS,
)

TAXONOMIES = {
    "life_goals": LifeGoalArea,
    "lived_experience": LivedExperience,
    "languages": Language,
    "interests": Interest,
}
DATE_WIDGET = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})

PERSON_LEGEND = _("The person")
MATCHING_LEGEND = _("What matters for matching")
NEEDS_LEGEND = _("Needs and staff notes")


def _user_field(name: str) -> forms.Field:
    """A form field for one of the person's account fields, with the model's own rules."""
    return User._meta.get_field(name).formfield()


class ProfileForm(forms.ModelForm):
    """What mentor and mentee forms share: the person's account fields and matching data.

    ``user`` is the staff member filling the form in; it limits which programs and people
    can be chosen.
    """

    display_name = _user_field("display_name")
    email = _user_field("email")
    phone = _user_field("phone")
    preferred_language = _user_field("preferred_language")
    availability = forms.MultipleChoiceField(
        label=_("Weekly availability"),
        choices=AVAILABILITY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    modalities = forms.MultipleChoiceField(
        label=_("Ways to meet"),
        choices=Modality.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    # The profile fields the service accepts, and the (legend, field names) groups in the
    # order the page shows them; subclasses fill both in.
    profile_fields: tuple[str, ...] = ()
    fieldset_layout: list[tuple[str, tuple[str, ...]]] = []

    def __init__(self, *args, user: User, instance=None, **kwargs):
        self.user = user
        if instance is not None and instance.pk:
            # Validating a ModelForm writes the typed values onto its instance; the services
            # must still see the profile as it is stored (to notice a status change), so the
            # form works on a copy.
            instance = copy.copy(instance)
            kwargs["initial"] = {
                **{name: getattr(instance.user, name) for name in PERSON_FIELDS},
                **kwargs.get("initial", {}),
            }
        super().__init__(*args, instance=instance, **kwargs)
        self.fields["email"].help_text = _(
            "Optional. A person already known by this email keeps their one account."
        )
        for name, model in TAXONOMIES.items():
            # Active terms, plus any retired term the profile still carries so that saving
            # the form does not silently drop it.
            current = Q(is_active=True)
            if self.instance.pk:
                current |= Q(pk__in=getattr(self.instance, name).values("pk"))
            field = self.fields[name]
            field.widget = forms.CheckboxSelectMultiple()
            field.queryset = model.objects.filter(current)  # also gives the widget its choices
            field.help_text = ""
        if "program" in self.fields:
            programs = Program.objects.staffed_by(user).filter(is_active=True)
            self.fields["program"].queryset = programs.select_related("center")
            self.fields["program"].empty_label = None
        self.fields["notes"].label = _("Staff notes")
        self.fields["notes"].help_text = _(
            "Seen only by the program's coordinators and supervisors."
        )

    @property
    def fieldsets(self):
        """[(legend, [bound fields])] for the template; fields this form lacks are skipped."""
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.fieldset_layout
        ]

    @property
    def availability_grid(self):
        """The availability checkboxes as a week: one row per day, one column per day part."""
        options = list(self["availability"])
        width = len(DAY_PARTS)
        return [
            (label, options[row * width : (row + 1) * width])
            for row, (_code, label) in enumerate(DAYS)
        ]

    @property
    def availability_parts(self):
        return [label for _code, label, _start, _end in DAY_PARTS]

    def person_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in PERSON_FIELDS}

    def profile_data(self) -> dict:
        """The profile fields as the service takes them (a disabled field is left as it is)."""
        allowed = set(self.profile_fields) | set(M2M_FIELDS)
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name in allowed and not self.fields[name].disabled
        }


# --- Mentees -------------------------------------------------------------------------------


class MenteeProfileForm(ProfileForm):
    """A mentee's matching data and referral details, as staff edit them."""

    profile_fields = MENTEE_FIELDS
    # Statuses staff set by hand; "matched" follows the match lifecycle instead.
    EDITABLE_STATUSES = (
        MenteeProfile.Status.REFERRED,
        MenteeProfile.Status.WAITING,
        MenteeProfile.Status.ON_HOLD,
        MenteeProfile.Status.EXITED,
    )

    fieldset_layout = [
        (PERSON_LEGEND, ("display_name", "email", "phone", "preferred_language")),
        (
            _("Program and referral"),
            (
                "program",
                "status",
                "referral_source",
                "referrer_name",
                "referrer_contact",
                "referral_date",
                "case_manager",
            ),
        ),
        (
            MATCHING_LEGEND,
            (
                "life_goals",
                "lived_experience",
                "languages",
                "interests",
                "availability",
                "modalities",
                "location",
                "preferred_mentor_gender",
                "gender_preference_required",
            ),
        ),
        (
            _("About the person"),
            ("gender", "birth_date", "recovery_start", "idd_mh"),
        ),
        (NEEDS_LEGEND, ("accessibility_needs", "communication_needs", "notes")),
    ]

    class Meta:
        model = MenteeProfile
        fields = [*MENTEE_FIELDS, *M2M_FIELDS]
        widgets = {
            "birth_date": DATE_WIDGET,
            "recovery_start": DATE_WIDGET,
            "referral_date": DATE_WIDGET,
            "accessibility_needs": forms.Textarea(attrs={"rows": 3}),
            "communication_needs": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        status = self.fields["status"]
        if self.instance.status == MenteeProfile.Status.MATCHED and self.instance.pk:
            status.disabled = True
            status.help_text = _("A matched mentee's status follows their match.")
        else:
            status.choices = [
                (value, label)
                for value, label in MenteeProfile.Status.choices
                if value in self.EDITABLE_STATUSES
            ]
        staffed = Program.objects.staffed_by(user)
        case_managers = Q(
            memberships__role="case_manager",
            memberships__is_active=True,
            memberships__program__in=staffed,
        )
        if self.instance.case_manager_id:
            case_managers |= Q(pk=self.instance.case_manager_id)
        field = self.fields["case_manager"]
        field.queryset = User.objects.filter(case_managers).distinct()
        field.label_from_instance = lambda person: (
            f"{person.display_name} ({person.email})" if person.email else person.display_name
        )
        field.help_text = _("Case managers of your programs. Optional.")


class MenteeReferralForm(MenteeProfileForm):
    """The referral intake: a new mentee, their program, referral and first consents."""

    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none())
    consents = forms.MultipleChoiceField(
        label=_("Consents given"),
        choices=Consent.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Tick only what the person agreed to, in writing. Sharing with the case manager "
            "needs the case manager named above."
        ),
    )
    consent_given_on = forms.DateField(
        label=_("Date the consents were given"),
        required=False,
        initial=timezone.localdate,
        validators=[validate_not_future],
        widget=DATE_WIDGET,
    )

    fieldset_layout = [
        *MenteeProfileForm.fieldset_layout,
        (_("Consents"), ("consents", "consent_given_on")),
    ]

    # A new referral is first interviewed ("referred") or, when that is done, "waiting".
    EDITABLE_STATUSES = (MenteeProfile.Status.REFERRED, MenteeProfile.Status.WAITING)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        programs = self.fields["program"].queryset
        if len(programs) == 1:
            self.fields["program"].initial = programs[0].pk


# --- Mentors -------------------------------------------------------------------------------


class MentorProfileForm(ProfileForm):
    """A mentor's record: role in the program, capacity and matching data."""

    profile_fields = MENTOR_FIELDS

    fieldset_layout = [
        (PERSON_LEGEND, ("display_name", "email", "phone", "preferred_language")),
        (
            _("Role in the program"),
            ("program", "status", "capacity", "idd_mh_experience", "bio"),
        ),
        (
            MATCHING_LEGEND,
            (
                "life_goals",
                "lived_experience",
                "languages",
                "interests",
                "availability",
                "modalities",
                "location",
            ),
        ),
        (_("About the person"), ("gender", "recovery_start")),
        (NEEDS_LEGEND, ("accessibility_needs", "communication_needs", "notes")),
    ]

    class Meta:
        model = MentorProfile
        fields = [*MENTOR_FIELDS, *M2M_FIELDS]
        widgets = {
            "recovery_start": DATE_WIDGET,
            "bio": forms.Textarea(attrs={"rows": 4}),
            "accessibility_needs": forms.Textarea(attrs={"rows": 3}),
            "communication_needs": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        # The model allows 1–10; say so in the browser as well.
        self.fields["capacity"].widget.attrs.update({"min": 1, "max": 10})
        if self.instance.pk:
            # After entry the status moves only through the pathway, with a reason recorded.
            self.fields["status"].disabled = True
            self.fields["status"].help_text = _(
                "Change it on the mentor's pathway page, where the reason is recorded."
            )


class MentorCreateForm(MentorProfileForm):
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none())

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        programs = self.fields["program"].queryset
        if len(programs) == 1:
            self.fields["program"].initial = programs[0].pk


# --- List filters --------------------------------------------------------------------------

YES_NO = [("", _("Any")), ("yes", _("Yes")), ("no", _("No"))]


class ProfileFilterForm(forms.Form):
    """Search, filters and sort order of a staff list, read from the query string.

    An invalid value (a program outside one's scope, a made-up id) is shown as an error next
    to its filter and that filter is left out; the others still apply.
    """

    q = forms.CharField(label=_("Name or email"), required=False, max_length=100)
    program = forms.ModelChoiceField(
        label=_("Program"), queryset=Program.objects.none(), required=False, empty_label=_("Any")
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    language = forms.ModelChoiceField(
        label=_("Language"), queryset=Language.objects.none(), required=False, empty_label=_("Any")
    )

    SORTS: dict[str, tuple] = {}

    def __init__(self, *args, user: User, statuses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = Program.objects.staffed_by(user)
        self.fields["language"].queryset = Language.objects.filter(is_active=True)
        self.fields["status"].choices = [("", _("Any")), *statuses]

    def value(self, name: str):
        """The cleaned value of a filter, or None when it is empty or was invalid."""
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) or None

    def apply(self, queryset):
        if q := self.value("q"):
            queryset = queryset.filter(
                Q(user__display_name__icontains=q) | Q(user__email__icontains=q)
            )
        if program := self.value("program"):
            queryset = queryset.filter(program=program)
        if status := self.value("status"):
            queryset = queryset.filter(status=status)
        if language := self.value("language"):
            queryset = queryset.filter(languages=language)
        return queryset

    @property
    def current_sort(self) -> str:
        sort = self.value("sort")
        return sort if sort in self.SORTS else next(iter(self.SORTS))


class MenteeFilterForm(ProfileFilterForm):
    life_goal = forms.ModelChoiceField(
        label=_("Life goal"),
        queryset=LifeGoalArea.objects.none(),
        required=False,
        empty_label=_("Any"),
    )
    idd_mh = forms.ChoiceField(label=_("Young adult with IDD-MH"), choices=YES_NO, required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("name", _("Name (A–Z)")),
            ("-name", _("Name (Z–A)")),
            ("waiting", _("Longest waiting first")),
        ],
    )

    SORTS = {
        "name": ("user__display_name", "pk"),
        "-name": ("-user__display_name", "-pk"),
        # Waiting mentees by how long they have waited; everyone else after them, by name.
        "waiting": (F("waiting_order").asc(nulls_last=True), "user__display_name", "pk"),
    }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, user=user, statuses=MenteeProfile.Status.choices, **kwargs)
        self.fields["life_goal"].queryset = LifeGoalArea.objects.filter(is_active=True)

    def apply(self, queryset):
        queryset = super().apply(queryset)
        if life_goal := self.value("life_goal"):
            queryset = queryset.filter(life_goals=life_goal)
        if idd_mh := self.value("idd_mh"):
            queryset = queryset.filter(idd_mh=idd_mh == "yes")
        queryset = queryset.annotate(
            waiting_order=Case(
                When(status=MenteeProfile.Status.WAITING, then=F("waiting_since")),
                default=None,
            )
        )
        return queryset.order_by(*self.SORTS[self.current_sort])


class MentorFilterForm(ProfileFilterForm):
    free_capacity = forms.ChoiceField(
        label=_("Has room for another mentee"), choices=YES_NO, required=False
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("name", _("Name (A–Z)")),
            ("-name", _("Name (Z–A)")),
            ("free", _("Most free places first")),
        ],
    )

    SORTS = {
        "name": ("user__display_name", "pk"),
        "-name": ("-user__display_name", "-pk"),
        "free": (F("free_places").desc(), "user__display_name", "pk"),
    }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, user=user, statuses=MentorProfile.Status.choices, **kwargs)

    def apply(self, queryset):
        """``queryset`` must carry the ``places_taken`` annotation (see the mentor views)."""
        queryset = (
            super()
            .apply(queryset)
            .annotate(
                free_places=ExpressionWrapper(
                    F("capacity") - F("places_taken"), output_field=IntegerField()
                )
            )
        )
        if free := self.value("free_capacity"):
            room = Q(free_places__gt=0)
            queryset = queryset.filter(room if free == "yes" else ~room)
        return queryset.order_by(*self.SORTS[self.current_sort])
