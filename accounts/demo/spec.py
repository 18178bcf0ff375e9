"""What the demo program holds: its centers, programs, staff, fixed logins and the odds
with which the planner draws people's statuses."""

from dataclasses import dataclass

from accounts.models import Membership

DEFAULT_PASSWORD = "peerpath-demo-2026"  # noqa: S105 - public on purpose: local demo only
SEED = 2026


@dataclass(frozen=True)
class DemoLogin:
    role: str
    email: str
    name: str


FIXED_LOGINS = (
    DemoLogin("admin", "admin@example.org", "Morgan Ellis"),
    DemoLogin("coordinator", "coordinator@example.org", "Dana Whitfield"),
    DemoLogin("supervisor", "supervisor@example.org", "Renée Okafor"),
    DemoLogin("mentor", "mentor@example.org", "Marcus Bell"),
    DemoLogin("mentor", "mentor2@example.org", "Lucía Herrera"),
    DemoLogin("mentee", "mentee@example.org", "Jordan Reyes"),
    DemoLogin("mentee", "mentee2@example.org", "Tasha Coleman"),
    DemoLogin("case_manager", "casemanager@example.org", "Priya Natarajan"),
)
FIXED_EMAILS = tuple(login.email for login in FIXED_LOGINS)

CENTERS = {
    # key: (name, city, phone)
    "riverside": ("New Horizons — Riverside", "Riverside", "(413) 555-0100"),
    "eastside": ("New Horizons — Eastside", "Eastside", "(413) 555-0150"),
}
CENTER_TIME_ZONE = "America/New_York"


@dataclass(frozen=True)
class ProgramSpec:
    key: str
    name: str
    center: str
    serves_idd_mh: bool
    mentors: int
    mentees: int
    description: str
    life_goals: dict[str, int]  # area slug -> how common
    lived_experience: dict[str, int]


PROGRAMS = (
    ProgramSpec(
        key="su",
        name="Substance-use recovery",
        center="riverside",
        serves_idd_mh=False,
        mentors=16,
        mentees=48,
        description=(
            "One-to-one peer mentoring for adults in recovery from alcohol and drug use, "
            "with mentors who have walked the same road."
        ),
        life_goals={
            "substance-use-recovery": 9,
            "housing": 6,
            "employment": 6,
            "relationships-family": 4,
            "coping-skills": 4,
            "money-benefits": 3,
            "transportation": 3,
            "physical-health": 2,
            "education": 2,
            "community-connection": 2,
            "mental-wellness": 2,
        },
        lived_experience={
            "depression": 2,
            "anxiety": 2,
            "ptsd-trauma": 2,
            "homelessness": 2,
            "justice-involvement": 2,
            "parenting-in-recovery": 1,
            "foster-care": 1,
        },
    ),
    ProgramSpec(
        key="idd",
        name="Young adults IDD-MH",
        center="riverside",
        serves_idd_mh=True,
        mentors=10,
        mentees=32,
        description=(
            "Peer mentoring for young adults (18–26) with intellectual or developmental "
            "disabilities and mental-health conditions, in plain words, often with a support "
            "person present."
        ),
        life_goals={
            "independent-living": 8,
            "employment": 6,
            "education": 5,
            "community-connection": 5,
            "coping-skills": 5,
            "transportation": 4,
            "relationships-family": 3,
            "mental-wellness": 3,
            "money-benefits": 2,
            "physical-health": 2,
        },
        lived_experience={
            "anxiety": 4,
            "depression": 3,
            "ptsd-trauma": 2,
            "foster-care": 2,
            "bipolar-disorder": 1,
        },
    ),
    ProgramSpec(
        key="mh",
        name="Mental-health peer support",
        center="eastside",
        serves_idd_mh=False,
        mentors=14,
        mentees=40,
        description=(
            "Peer support for adults living with a mental-health condition: hope, coping "
            "skills and help finding their way to services."
        ),
        life_goals={
            "mental-wellness": 9,
            "coping-skills": 7,
            "community-connection": 5,
            "employment": 4,
            "relationships-family": 4,
            "housing": 3,
            "physical-health": 3,
            "education": 2,
            "money-benefits": 2,
        },
        lived_experience={
            "depression": 5,
            "anxiety": 5,
            "ptsd-trauma": 3,
            "bipolar-disorder": 3,
            "psychosis-schizophrenia": 2,
            "homelessness": 1,
            "parenting-in-recovery": 1,
        },
    ),
)
PROGRAM_BY_KEY = {spec.key: spec for spec in PROGRAMS}
SUBSTANCES = ["alcohol-use-recovery", "opioid-use-recovery", "stimulant-use-recovery"]
SUBSTANCES += ["cannabis-use-recovery"]

# Staff besides the fixed logins: (name, email, program key, role). They have no password.
OTHER_STAFF = (
    ("Samuel Osei", "samuel.osei@example.org", "mh", Membership.Role.COORDINATOR),
    ("Karen Lindqvist", "karen.lindqvist@example.org", "mh", Membership.Role.SUPERVISOR),
    ("Aisha Rahman", "aisha.rahman@example.org", "idd", Membership.Role.SUPERVISOR),
)
# Case managers at partner agencies: (name, email, agency, program keys they refer to).
CASE_MANAGERS = (
    ("Priya Natarajan", "casemanager@example.org", "Riverside Community Mental Health",
     ("su", "idd")),
    ("Ruth Adeyemi", "ruth.adeyemi@example.org", "Riverside Recovery Clinic", ("su",)),
    ("Derrick Owens", "derrick.owens@example.org", "County Behavioral Health Services",
     ("su", "mh")),
    ("Hannah Kim", "hannah.kim@example.org", "Regional Developmental Services", ("idd",)),
    ("Sofia Álvarez", "sofia.alvarez@example.org", "Eastside Community Mental Health", ("mh",)),
)  # fmt: skip
NAME_OF = (
    {login.email: login.name for login in FIXED_LOGINS}
    | {email: name for name, email, _program, _role in OTHER_STAFF}
    | {email: name for name, email, _agency, _programs in CASE_MANAGERS}
)

OTHER_LANGUAGES = ["haitian-creole", "vietnamese", "chinese", "portuguese", "arabic", "asl"]
NAME_GROUP = {
    "haitian-creole": "ht",
    "vietnamese": "vi",
    "chinese": "zh",
    "portuguese": "pt",
    "arabic": "ar",
    "asl": "en",
}
MENTEE_STATUS_WEIGHTS = {"referred": 12, "waiting": 30, "matched": 48, "on_hold": 5, "exited": 5}
MENTOR_STATUS_WEIGHTS = {
    "active": 80,
    "in_training": 8,
    "on_hold": 5,
    "screening": 4,
    "applicant": 3,
}
GOAL_STATUS_WEIGHTS = {
    "matched": {"in_progress": 55, "not_started": 15, "achieved": 20, "set_aside": 10},
    "waiting": {"not_started": 80, "in_progress": 20},
    "referred": {"not_started": 100},
    "on_hold": {"in_progress": 40, "not_started": 30, "set_aside": 30},
    "exited": {"achieved": 60, "set_aside": 40},
}
