"""People, programs and what they agreed to.

Users hold roles through Memberships in Programs; mentors and mentees have one profile per
program. Reads that depend on who is asking go through the ``visible_to(user)`` queryset
methods in ``accounts.scoping``, never through a bare ``objects.get``.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from accounts.scoping import (
    GoalQuerySet,
    MenteeProfileQuerySet,
    MentorProfileQuerySet,
    NotificationQuerySet,
    ProgramQuerySet,
)

TIME_ZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones())]


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone."))


def validate_not_future(value: datetime.date) -> None:
    if value > timezone.localdate():
        raise ValidationError(_("This date cannot be in the future."))


# --- Users -------------------------------------------------------------------------------


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **fields):
        email = self.normalize_email(email) if email else None
        user = self.model(email=email, **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email=None, password=None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email, password=None, **fields):
        fields["is_staff"] = True
        fields["is_superuser"] = True
        return self._create(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """One login per person, whatever roles they hold across programs.

    Email is the login. A mentee with no email address never logs in with a password; they
    use one-time links and in-app notifications.
    """

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        SPANISH = "es", _("Spanish")

    email = models.EmailField(_("email"), unique=True, null=True, blank=True)
    display_name = models.CharField(_("name"), max_length=150)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=Language, default=Language.ENGLISH
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="America/New_York",
        validators=[validate_time_zone],
    )
    easy_read = models.BooleanField(
        _("easy-read pages"),
        default=False,
        help_text=_("Short sentences, pictures and one question per screen."),
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    notify_by_email = models.BooleanField(
        _("send me reminders by email"),
        default=True,
        help_text=_("Safety alerts always come by every channel."),
    )
    notify_in_app = models.BooleanField(_("show reminders in PeerPath"), default=True)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff (admin site)"), default=False)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.email or gettext("user %(number)s") % {"number": self.pk}

    def get_full_name(self) -> str:
        return self.display_name

    def get_short_name(self) -> str:
        return self.display_name.split(" ")[0] if self.display_name else ""

    def program_ids_with_role(self, *roles: str) -> set[int]:
        """Ids of the programs where this person holds any of ``roles`` (cached per request)."""
        cache = self.__dict__.setdefault("_role_cache", None)
        if cache is None:
            cache = {}
            for program_id, role in Membership.objects.filter(
                user=self, is_active=True
            ).values_list("program_id", "role"):
                cache.setdefault(role, set()).add(program_id)
            self.__dict__["_role_cache"] = cache
        return set().union(*(cache.get(role, set()) for role in roles)) if roles else set()

    def has_role(self, *roles: str) -> bool:
        return bool(self.program_ids_with_role(*roles))

    @property
    def roles(self) -> set[str]:
        return {role for role in Membership.Role.values if self.program_ids_with_role(role)}


# --- Centers and programs ----------------------------------------------------------------


class Center(models.Model):
    name = models.CharField(_("name"), max_length=150, unique=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="America/New_York", validators=[validate_time_zone]
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Program(models.Model):
    """A program a center runs. Its own settings (matching weights, cadences, surveys) hang
    off it as later parts of the product need them."""

    center = models.ForeignKey(Center, on_delete=models.PROTECT, related_name="programs")
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    serves_idd_mh = models.BooleanField(
        _("serves young adults with IDD-MH"),
        default=False,
        help_text=_("Intellectual and developmental disabilities with mental-health conditions."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        ordering = ["center__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["center", "name"], name="program_name_unique_in_center")
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person's role in a program. One person may hold several."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        MENTOR = "mentor", _("Mentor")
        MENTEE = "mentee", _("Mentee")
        SUPERVISOR = "supervisor", _("Supervisor")
        CASE_MANAGER = "case_manager", _("Case manager")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "program", "role"], name="membership_unique_role_in_program"
            )
        ]
        indexes = [models.Index(fields=["program", "role", "is_active"])]

    def __str__(self) -> str:
        return gettext("%(person)s — %(role)s in %(program)s") % {
            "person": self.user,
            "role": self.get_role_display(),
            "program": self.program,
        }


# --- Taxonomies --------------------------------------------------------------------------


# The names migration 0002 gives a new installation's taxonomies. A term that keeps its default
# name shows in the reader's language; a name staff typed shows as typed.
DEFAULT_TERM_NAMES = [
    gettext_noop("Housing"),
    gettext_noop("Employment"),
    gettext_noop("Education"),
    gettext_noop("Recovery from substance use"),
    gettext_noop("Mental wellness"),
    gettext_noop("Relationships and family"),
    gettext_noop("Independent living"),
    gettext_noop("Physical health"),
    gettext_noop("Community connection"),
    gettext_noop("Coping skills"),
    gettext_noop("Money and benefits"),
    gettext_noop("Transportation"),
    gettext_noop("Recovery from alcohol use"),
    gettext_noop("Recovery from opioid use"),
    gettext_noop("Recovery from stimulant use"),
    gettext_noop("Recovery from cannabis use"),
    gettext_noop("Living with depression"),
    gettext_noop("Living with anxiety"),
    gettext_noop("Living with bipolar disorder"),
    gettext_noop("Living with psychosis or schizophrenia"),
    gettext_noop("Living with PTSD or trauma"),
    gettext_noop("Intellectual or developmental disability"),
    gettext_noop("Homelessness"),
    gettext_noop("Incarceration or justice involvement"),
    gettext_noop("Foster care"),
    gettext_noop("Parenting in recovery"),
    gettext_noop("English"),
    gettext_noop("Spanish"),
    gettext_noop("Haitian Creole"),
    gettext_noop("Vietnamese"),
    gettext_noop("Chinese"),
    gettext_noop("Portuguese"),
    gettext_noop("Arabic"),
    gettext_noop("American Sign Language (ASL)"),
    gettext_noop("Sports"),
    gettext_noop("Music"),
    gettext_noop("Art and crafts"),
    gettext_noop("Cooking"),
    gettext_noop("Gaming"),
    gettext_noop("Faith and spirituality"),
    gettext_noop("Nature and outdoors"),
    gettext_noop("Reading"),
    gettext_noop("Volunteering"),
    gettext_noop("Technology"),
]


class Taxonomy(models.Model):
    """A staff-editable list of terms (life-goal areas, lived experience, languages...)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    sort_order = models.PositiveSmallIntegerField(default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return gettext(self.name)


class LifeGoalArea(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("life-goal area")


class LivedExperience(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("lived-experience area")
        verbose_name_plural = _("lived-experience areas")


class Interest(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = _("interest")


class Language(Taxonomy):
    code = models.CharField(max_length=12, unique=True)

    class Meta(Taxonomy.Meta):
        verbose_name = _("language")


# --- Profiles ----------------------------------------------------------------------------

DAYS = [
    ("mon", _("Mon")),
    ("tue", _("Tue")),
    ("wed", _("Wed")),
    ("thu", _("Thu")),
    ("fri", _("Fri")),
    ("sat", _("Sat")),
    ("sun", _("Sun")),
]
DAY_PARTS = [
    # (code, label, start hour, end hour)
    ("morning", _("morning (9–12)"), 9, 12),
    ("afternoon", _("afternoon (12–17)"), 12, 17),
    ("evening", _("evening (17–21)"), 17, 21),
]
AVAILABILITY_SLOTS = {
    f"{day}-{part}": end - start for day, _d in DAYS for part, _p, start, end in DAY_PARTS
}
AVAILABILITY_CHOICES = [
    (f"{day}-{part}", format_lazy("{} {}", day_label, part_label))
    for day, day_label in DAYS
    for part, part_label, _s, _e in DAY_PARTS
]


class Modality(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video")


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non_binary", _("Non-binary")
    SELF_DESCRIBED = "self_described", _("Self-described")
    UNSAID = "", _("Prefer not to say")


def validate_availability(value) -> None:
    if not isinstance(value, list) or any(slot not in AVAILABILITY_SLOTS for slot in value):
        raise ValidationError(_("Choose availability from the weekly grid."))


def validate_modalities(value) -> None:
    if not isinstance(value, list) or any(item not in Modality.values for item in value):
        raise ValidationError(_("Choose modalities from the list."))


class Profile(models.Model):
    """What mentors and mentees share: the matching data of one person in one program."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    program = models.ForeignKey(Program, on_delete=models.PROTECT)
    life_goals = models.ManyToManyField(LifeGoalArea, blank=True, verbose_name=_("life goals"))
    lived_experience = models.ManyToManyField(
        LivedExperience, blank=True, verbose_name=_("lived experience")
    )
    languages = models.ManyToManyField(Language, blank=True, verbose_name=_("languages"))
    interests = models.ManyToManyField(Interest, blank=True, verbose_name=_("interests"))
    availability = models.JSONField(
        _("weekly availability"), default=list, blank=True, validators=[validate_availability]
    )
    modalities = models.JSONField(
        _("ways to meet"), default=list, blank=True, validators=[validate_modalities]
    )
    location = models.CharField(_("town or neighbourhood"), max_length=100, blank=True)
    gender = models.CharField(_("gender"), max_length=20, choices=Gender, blank=True)
    recovery_start = models.DateField(
        _("recovery start"), null=True, blank=True, validators=[validate_not_future]
    )
    accessibility_needs = models.TextField(_("accessibility needs"), max_length=2000, blank=True)
    communication_needs = models.TextField(_("communication needs"), max_length=2000, blank=True)
    notes = models.TextField(_("staff notes"), max_length=4000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.user} ({self.program})"

    @property
    def availability_hours(self) -> int:
        return sum(AVAILABILITY_SLOTS[slot] for slot in self.availability)


class MentorProfile(Profile):
    class Status(models.TextChoices):
        APPLICANT = "applicant", _("Applicant")
        SCREENING = "screening", _("Screening")
        IN_TRAINING = "in_training", _("In training")
        ACTIVE = "active", _("Active")
        ON_HOLD = "on_hold", _("On hold")
        INACTIVE = "inactive", _("Inactive")

    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.ACTIVE)
    capacity = models.PositiveSmallIntegerField(
        _("how many mentees at once"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    idd_mh_experience = models.BooleanField(
        _("experienced with young adults with IDD-MH"), default=False
    )
    bio = models.TextField(_("about me"), max_length=2000, blank=True)

    objects = MentorProfileQuerySet.as_manager()

    class Meta:
        ordering = ["user__display_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "program"], name="one_mentor_profile_per_program"
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=10), name="mentor_capacity_1_to_10"
            ),
        ]
        indexes = [models.Index(fields=["program", "status"])]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("accounts:mentor_detail", args=[self.pk])


def validate_birth_date(value: datetime.date) -> None:
    today = timezone.localdate()
    age = today.year - value.year - ((today.month, today.day) < (value.month, value.day))
    if value > today:
        raise ValidationError(_("A birth date cannot be in the future."))
    if age < 14:
        raise ValidationError(_("Participants must be at least 14 years old."))
    if age > 110:
        raise ValidationError(_("Please check the year of birth."))


class MenteeProfile(Profile):
    class Status(models.TextChoices):
        REFERRED = "referred", _("Referred")
        WAITING = "waiting", _("Waiting for a mentor")
        MATCHED = "matched", _("Matched")
        ON_HOLD = "on_hold", _("On hold")
        EXITED = "exited", _("Exited the program")

    class GenderPreference(models.TextChoices):
        NONE = "", _("No preference")
        WOMAN = "woman", _("A woman")
        MAN = "man", _("A man")
        NON_BINARY = "non_binary", _("A non-binary mentor")

    status = models.CharField(_("status"), max_length=20, choices=Status, default=Status.WAITING)
    birth_date = models.DateField(
        _("birth date"), null=True, blank=True, validators=[validate_birth_date]
    )
    idd_mh = models.BooleanField(_("young adult with IDD-MH"), default=False)
    preferred_mentor_gender = models.CharField(
        _("mentor gender preference"), max_length=20, choices=GenderPreference, blank=True
    )
    gender_preference_required = models.BooleanField(
        _("the gender preference is a must"), default=False
    )
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_mentees",
        verbose_name=_("case manager"),
    )
    referral_source = models.CharField(_("referred by (agency)"), max_length=150, blank=True)
    referrer_name = models.CharField(
        _("referring clinician or case manager"), max_length=150, blank=True
    )
    referrer_contact = models.CharField(_("their phone or email"), max_length=150, blank=True)
    referral_date = models.DateField(
        _("referral date"), default=timezone.localdate, validators=[validate_not_future]
    )
    waiting_since = models.DateField(_("waiting since"), null=True, blank=True)

    objects = MenteeProfileQuerySet.as_manager()

    class Meta:
        ordering = ["user__display_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "program"], name="one_mentee_profile_per_program"
            ),
        ]
        indexes = [
            models.Index(fields=["program", "status"]),
            models.Index(fields=["program", "waiting_since"]),
        ]

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("accounts:mentee_detail", args=[self.pk])

    @property
    def age(self) -> int | None:
        if not self.birth_date:
            return None
        today = timezone.localdate()
        born = self.birth_date
        return today.year - born.year - ((today.month, today.day) < (born.month, born.day))

    @property
    def days_waiting(self) -> int | None:
        if self.status != self.Status.WAITING or not self.waiting_since:
            return None
        return (timezone.localdate() - self.waiting_since).days


# --- Consent -----------------------------------------------------------------------------


class Consent(models.Model):
    """What a mentee agreed to, under which text version, and whether it still stands.

    Revoking sets ``revoked_at``; every check reads ``Consent.objects.current()`` (not revoked
    and not past ``expires_on``) so a revocation or an expiry takes effect on the very next
    request.

    A consent to disclose (``DISCLOSURE_KINDS``) holds the elements 42 CFR 2.31 requires of a
    written consent: the person (``mentee``), who may disclose (``discloser``, the program), what
    information (``information``), to whom (``recipient_name`` and, for a person with a login,
    ``recipient``), the purpose, an expiry date or event, the acknowledged right to revoke, and
    an electronic signature (the name typed by the person and the date signed).
    """

    class Kind(models.TextChoices):
        PARTICIPATION = "participation", _("Take part in the program")
        SHARE_WITH_CASE_MANAGER = "share_case_manager", _("Share progress with my case manager")
        SHARE_WITH_MENTOR = "share_mentor", _("Share my progress on measures with my mentor")
        RESEARCH = "research", _("Use my de-identified answers for research")
        CONTACT_EMAIL = "contact_email", _("Contact me by email")
        CONTACT_SMS = "contact_sms", _("Contact me by text message")
        CONTACT_PHONE = "contact_phone", _("Contact me by phone")

    mentee = models.ForeignKey(MenteeProfile, on_delete=models.CASCADE, related_name="consents")
    kind = models.CharField(_("consent to"), max_length=30, choices=Kind)
    text_version = models.CharField(_("consent text version"), max_length=20, default="2026-1")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents_received",
        verbose_name=_("shared with"),
        help_text=_("For sharing consents: the person who may see the progress."),
    )
    given_on = models.DateField(_("date given"), validators=[validate_not_future])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consents_recorded"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents_revoked",
    )
    # The elements of a consent to disclose (42 CFR 2.31); blank for the other kinds.
    discloser = models.CharField(
        _("who may disclose"),
        max_length=200,
        blank=True,
        help_text=_("The program (or person) allowed to share the information."),
    )
    information = models.TextField(
        _("what information"),
        blank=True,
        help_text=_("How much and what kind of information may be shared."),
    )
    recipient_name = models.CharField(
        _("shared with (person or organisation)"), max_length=200, blank=True
    )
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    expiry_event = models.CharField(
        _("or expires when"),
        max_length=200,
        blank=True,
        help_text=_("An event that ends the consent, for example “when I leave the program”."),
    )
    revocation_acknowledged = models.BooleanField(
        _("told of the right to revoke"),
        default=False,
        help_text=_("The person was told they may revoke this consent at any time."),
    )
    signature_name = models.CharField(_("signed (name typed)"), max_length=200, blank=True)
    signed_on = models.DateField(_("date signed"), null=True, blank=True)

    class QuerySet(models.QuerySet):
        def current(self):
            """Not revoked and not expired: the one check every disclosure goes through."""
            return self.filter(revoked_at__isnull=True).filter(
                Q(expires_on__isnull=True) | Q(expires_on__gte=timezone.localdate())
            )

    objects = QuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at"]
        constraints = [
            models.UniqueConstraint(
                "mentee",
                "kind",
                Coalesce("recipient", Value(0)),
                condition=Q(revoked_at__isnull=True),
                name="one_current_consent_per_kind_and_recipient",
            ),
            models.CheckConstraint(
                condition=~Q(kind="share_case_manager") | Q(recipient__isnull=False),
                name="sharing_consent_names_recipient",
            ),
        ]
        indexes = [models.Index(fields=["recipient", "kind", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.mentee})"

    @property
    def is_current(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def is_expired(self) -> bool:
        return self.expires_on is not None and self.expires_on < timezone.localdate()

    @property
    def is_disclosure(self) -> bool:
        return self.kind in DISCLOSURE_KINDS

    def missing_disclosure_elements(self) -> dict[str, str]:
        """The 42 CFR 2.31 elements this consent to disclose lacks, by field, with a message.

        Shared by the consent form (to show every missing element at once) and by
        ``record_consent`` (which refuses to save without them)."""
        if self.kind not in DISCLOSURE_KINDS:
            return {}
        today = timezone.localdate()
        errors = {}
        if not self.discloser.strip():
            errors["discloser"] = _("Name who may share the information (the program).")
        if not self.information.strip():
            errors["information"] = _("Say what information may be shared.")
        if not self.recipient_name.strip():
            errors["recipient_name"] = _("Name the person or organisation it may be shared with.")
        if not self.purpose.strip():
            errors["purpose"] = _("Say what the information is shared for.")
        if not self.expires_on and not self.expiry_event.strip():
            errors["expires_on"] = _("Give the date or the event when this consent ends.")
        elif self.expires_on and self.expires_on < today:
            errors["expires_on"] = _("This end date has already passed.")
        if not self.revocation_acknowledged:
            errors["revocation_acknowledged"] = _(
                "The mentee must be told they can revoke this consent at any time."
            )
        if not self.signature_name.strip():
            errors["signature_name"] = _("The mentee signs by typing their name.")
        if not self.signed_on:
            errors["signed_on"] = _("Give the date the mentee signed.")
        elif self.signed_on > today:
            errors["signed_on"] = _("The date signed cannot be in the future.")
        return errors

    @property
    def recipient_label(self) -> str:
        if self.recipient_name:
            return self.recipient_name
        return self.recipient.display_name if self.recipient_id else ""

    @property
    def expiry_label(self) -> str:
        parts = []
        if self.expires_on:
            parts.append(formats.date_format(self.expires_on))
        if self.expiry_event:
            parts.append(self.expiry_event)
        return str(_(" or ")).join(str(part) for part in parts)


# Consents that allow information to leave the program: Part 2's elements are required.
DISCLOSURE_KINDS = frozenset(
    {
        Consent.Kind.SHARE_WITH_CASE_MANAGER,
        Consent.Kind.SHARE_WITH_MENTOR,
        Consent.Kind.RESEARCH,
    }
)

# The standard terms of each consent to disclose, as printed on the program's paper consent
# form: a consent recorded at intake (or before the electronic form) carries these elements.
STANDARD_DISCLOSURE_TERMS = {
    Consent.Kind.SHARE_WITH_CASE_MANAGER: (
        _("Progress on my personal goals and my participation in the program"),
        _("Coordination of my care with my case manager"),
    ),
    Consent.Kind.SHARE_WITH_MENTOR: (
        _("My scores on the program's outcome measures"),
        _("Support from my peer mentor"),
    ),
    Consent.Kind.RESEARCH: (
        _("My de-identified answers to the program's questionnaires"),
        _("Research and evaluation of the program"),
    ),
}
STANDARD_EXPIRY_EVENT = _("When I leave the program")


def standard_disclosure_terms(consent: "Consent") -> None:
    """Fill a consent to disclose with the standard terms of the paper form it was signed on."""
    information, purpose = STANDARD_DISCLOSURE_TERMS[consent.kind]
    mentee = consent.mentee
    consent.discloser = consent.discloser or mentee.program.name
    consent.information = consent.information or str(information)
    consent.purpose = consent.purpose or str(purpose)
    consent.recipient_name = consent.recipient_name or (
        consent.recipient.display_name if consent.recipient_id else mentee.program.name
    )
    if not consent.expires_on and not consent.expiry_event:
        consent.expiry_event = str(STANDARD_EXPIRY_EVENT)
    consent.revocation_acknowledged = True
    consent.signature_name = consent.signature_name or mentee.user.display_name
    consent.signed_on = consent.signed_on or consent.given_on


class Disclosure(models.Model):
    """One release of a mentee's information under a consent: the accounting of disclosures
    (recipient, date, what, purpose) is read from these rows. Written by
    ``accounts.services.record_disclosure`` only; never changed afterwards."""

    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="disclosures")
    mentee = models.ForeignKey(MenteeProfile, on_delete=models.PROTECT, related_name="disclosures")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disclosures_received",
    )
    recipient_name = models.CharField(_("recipient"), max_length=200)
    information = models.CharField(_("what was disclosed"), max_length=300)
    purpose = models.CharField(_("purpose"), max_length=300)
    disclosed_at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    disclosed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="disclosures_made",
    )

    class Meta:
        ordering = ["-disclosed_at", "-pk"]
        indexes = [models.Index(fields=["mentee", "disclosed_at"])]

    def __str__(self) -> str:
        return f"{self.information} → {self.recipient_name} ({self.disclosed_at:%Y-%m-%d})"


# --- Personal goals ----------------------------------------------------------------------


class Goal(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        ACHIEVED = "achieved", _("Achieved")
        SET_ASIDE = "set_aside", _("Set aside")

    mentee = models.ForeignKey(MenteeProfile, on_delete=models.CASCADE, related_name="goals")
    area = models.ForeignKey(
        LifeGoalArea, on_delete=models.PROTECT, verbose_name=_("life-goal area")
    )
    statement = models.CharField(_("the goal, in the mentee's words"), max_length=300)
    status = models.CharField(
        _("status"), max_length=20, choices=Status, default=Status.NOT_STARTED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GoalQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.statement


class GoalStep(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    text = models.CharField(_("small step"), max_length=200)
    done = models.BooleanField(_("done"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text


class GoalProgress(models.Model):
    """A dated entry in a goal's history: a status change or a note on how it is going."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="progress")
    date = models.DateField(_("date"), default=timezone.localdate, validators=[validate_not_future])
    status = models.CharField(_("status"), max_length=20, choices=Goal.Status)
    note = models.TextField(_("how it is going"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-recorded_at"]
        verbose_name_plural = _("goal progress entries")

    def __str__(self) -> str:
        return gettext("%(goal)s — %(status)s on %(date)s") % {
            "goal": self.goal,
            "status": self.get_status_display(),
            "date": self.date,
        }


# --- Notifications outbox ----------------------------------------------------------------


class Notification(models.Model):
    """The outbox. Every reminder and alert is first a row, written in the transaction of the
    action that caused it, then delivered by a worker; ``key`` makes a repeat impossible."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        IN_APP = "in_app", _("In the app")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=50)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel)
    subject_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True)
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    due_at = models.DateTimeField(_("due"), default=timezone.now)
    key = models.CharField(max_length=200, unique=True)
    state = models.CharField(max_length=20, choices=State, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-due_at"]
        indexes = [
            models.Index(fields=["state", "due_at"]),
            models.Index(fields=["recipient", "channel", "read_at"]),
            models.Index(fields=["subject_type", "subject_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient} ({self.channel})"


# --- Audit trail -------------------------------------------------------------------------


class AuditEvent(models.Model):
    """What the change log (django-auditlog's LogEntry) does not hold: sign-ins, failed
    sign-ins, refused requests, exports and disclosures. Append-only: on PostgreSQL a trigger
    refuses UPDATE and DELETE (migration 0004); ``id`` is the row's sequence number."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("Signed in")
        LOGIN_FAILED = "login_failed", _("Failed sign-in")
        LOGOUT = "logout", _("Signed out")
        DENIED = "denied", _("Access refused")
        EXPORT = "export", _("Export")
        DISCLOSURE = "disclosure", _("Disclosure")

    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(_("event"), max_length=20, choices=Kind, db_index=True)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    # A failed sign-in names the account tried, never the password typed.
    username = models.CharField(max_length=254, blank=True)
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    program = models.ForeignKey(
        Program,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    path = models.CharField(max_length=500, blank=True)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind} {self.at:%Y-%m-%d %H:%M:%S}"


class AuditSeal(models.Model):
    """A batch of audit rows sealed by a hash chained to the previous seal of the same stream.

    ``digest`` is SHA-256 over the previous seal's digest and the canonical serialisation of
    every row from ``first_seq`` to ``last_seq`` in sequence order; ``row_count`` says how many
    rows there were, so a removed or added row is found even where the hash alone would point
    only at "something changed". See ``accounts.audit_chain``.
    """

    class Stream(models.TextChoices):
        CHANGES = "changes", _("Changes and reads")
        EVENTS = "events", _("Sign-ins, refusals, exports and disclosures")

    id = models.BigAutoField(primary_key=True)
    stream = models.CharField(max_length=20, choices=Stream)
    first_seq = models.BigIntegerField()
    last_seq = models.BigIntegerField()
    row_count = models.PositiveIntegerField()
    previous_digest = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)
    sealed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["stream", "last_seq"]
        # One successor per seal: two sealing runs at once cannot fork the chain.
        constraints = [
            models.UniqueConstraint("stream", "previous_digest", name="one_seal_per_predecessor"),
            models.UniqueConstraint("stream", "last_seq", name="one_seal_per_stream_position"),
        ]

    def __str__(self) -> str:
        return f"{self.stream} {self.first_seq}–{self.last_seq}"


class WorkerHeartbeat(models.Model):
    """The last time a Celery worker ran the heartbeat task, per worker host name. Kept in the
    database so that every web process reports the same thing on /healthz."""

    worker = models.CharField(max_length=200, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker} at {self.seen_at:%Y-%m-%d %H:%M:%S}"


from accounts.pathway.models import (  # noqa: E402,F401
    Application,
    Certification,
    CompetencyRating,
    EmploymentOutcome,
    MentorInvitation,
    PathwaySettings,
    RolePlayAssessment,
    ScreeningStep,
    StatusChange,
    TrainingAttendance,
    TrainingModule,
    TrainingSession,
    WellbeingCheckIn,
)
