"""Plans: everything the demo will create, decided (and randomised) before anything is
written, so that the random draws do not depend on database ids or timing."""

import datetime
from dataclasses import dataclass, field

from accounts.models import MenteeProfile, MentorProfile


@dataclass(kw_only=True)
class PersonPlan:
    program: str
    name: str
    email: str | None
    phone: str = ""
    preferred_language: str = "en"
    languages: list[str] = field(default_factory=lambda: ["english"])
    gender: str = ""
    life_goals: list[str] = field(default_factory=list)
    lived_experience: list[str] = field(default_factory=list)
    interests: list[str] = field(default_factory=list)
    availability: list[str] = field(default_factory=list)
    modalities: list[str] = field(default_factory=list)
    location: str = ""
    recovery_start: datetime.date | None = None
    accessibility_needs: str = ""
    communication_needs: str = ""
    notes: str = ""
    easy_read: bool = False
    status: str = ""

    def person(self) -> dict:
        return {
            "display_name": self.name,
            "email": self.email,
            "phone": self.phone,
            "preferred_language": self.preferred_language,
        }

    def shared_profile(self, taxonomy: dict) -> dict:
        return {
            "availability": self.availability,
            "modalities": self.modalities,
            "location": self.location,
            "gender": self.gender,
            "recovery_start": self.recovery_start,
            "accessibility_needs": self.accessibility_needs,
            "communication_needs": self.communication_needs,
            "notes": self.notes,
            "status": self.status,
            "life_goals": [taxonomy["life_goals"][s].pk for s in self.life_goals],
            "lived_experience": [taxonomy["lived"][s].pk for s in self.lived_experience],
            "languages": [taxonomy["languages"][s].pk for s in self.languages],
            "interests": [taxonomy["interests"][s].pk for s in self.interests],
        }


@dataclass(kw_only=True)
class MentorPlan(PersonPlan):
    capacity: int = 2
    idd_mh_experience: bool = False
    bio: str = ""
    mentees: list["MenteePlan"] = field(default_factory=list)
    profile: MentorProfile | None = None

    @property
    def room(self) -> int:
        return self.capacity - len(self.mentees) if self.status == "active" else 0


@dataclass
class StepPlan:
    text: str
    done: bool


@dataclass
class GoalPlan:
    area: str
    statement: str
    status: str
    steps: list[StepPlan]
    # (date, status, note, written by the mentor rather than the coordinator)
    history: list[tuple[datetime.date, str, str, bool]]


@dataclass(kw_only=True)
class MenteePlan(PersonPlan):
    birth_date: datetime.date | None = None
    idd_mh: bool = False
    preferred_mentor_gender: str = ""
    gender_preference_required: bool = False
    case_manager: str | None = None  # case manager's email
    referral_source: str = ""
    referrer_name: str = ""
    referrer_contact: str = ""
    referral_date: datetime.date | None = None
    waiting_since: datetime.date | None = None
    consents: list[str] = field(default_factory=list)
    consent_given_on: datetime.date | None = None
    mentor: MentorPlan | None = None
    started_on: datetime.date | None = None
    goals: list[GoalPlan] = field(default_factory=list)
    profile: MenteeProfile | None = None
