"""Property-based fuzz of every form (hypothesis): arbitrary text, numbers and lists must end
in validation errors, never in an exception or a server error.

1. Every ``Form``/``ModelForm`` subclass defined in the apps is built (its constructor's
   keyword arguments come from the cast) and fed arbitrary data; ``is_valid()`` may say no,
   but must not raise. A form whose constructor needs something only its view can build
   (a checklist's questions, an instrument's items) is listed in ``BUILT_BY_VIEWS`` and is
   fuzzed through its view in part 2; a form in neither place fails the test.
2. Every URL of the permission matrix is asked with POST, with the field names found on its
   page (or the route's own data) filled with arbitrary values, as the most privileged
   persona allowed in; no answer may be a 500.

Run with ``make security``; it is not part of the default suite because it is slow.
"""

import importlib
import inspect
import pkgutil
import re

import pytest
from django import forms
from django.db import transaction
from django.test import RequestFactory
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import MentorProfile, Program, User
from tests.conftest import SignedInClient
from tests.test_permission_matrix import MATRIX

pytestmark = pytest.mark.django_db

APPS = ["accounts", "matching", "sessions", "evaluation"]
SKIP_MODULES = (".migrations", ".management", ".demo", ".tests")

# Forms whose constructor takes objects that only their view assembles; their views are in
# the permission matrix, so part 2 fuzzes them through HTTP.
BUILT_BY_VIEWS = {
    "matching.forms.interviews.InterviewForm": "checklist questions and choice book",
    "sessions.forms.groups.GroupAttendanceForm": "the group's attendance rows",
    "evaluation.forms.measures.MeasureForm": "the instrument's items",
    "sessions.forms.resources.ReferralFollowUpForm": "the referral being followed up",
}

NASTY = [
    "",
    " ",
    "0",
    "-1",
    "1e308",
    "NaN",
    "2026-02-30",
    "9999-12-31",
    "\x00",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "../../etc/passwd",
    "9" * 40,
    "é" * 300,
]
VALUE = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=80),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(lambda day: day.isoformat()),
)
VALUES = st.lists(VALUE, max_size=3)


def _form_classes() -> dict[str, type]:
    found = {}
    for app in APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if any(part in info.name for part in SKIP_MODULES):
                continue
            module = importlib.import_module(info.name)
            for name, cls in vars(module).items():
                if (
                    inspect.isclass(cls)
                    and issubclass(cls, forms.BaseForm)
                    and cls.__module__ == module.__name__
                    and not _model_form_base(cls)
                ):
                    found[f"{module.__name__}.{name}"] = cls
    return found


def _model_form_base(cls) -> bool:
    """A ModelForm with no model is a base for others, not a form of its own."""
    return issubclass(cls, forms.BaseModelForm) and cls._meta.model is None


FORMS = _form_classes()


def _arguments(cast) -> dict:
    return {
        "user": cast.coordinator,
        "mentee": cast.mentee_profile,
        "mentor": cast.mentor_profile,
        "match": cast.match,
        "program": cast.program,
        "programs": Program.objects.filter(pk=cast.program.pk),
        "mentors": MentorProfile.objects.filter(program=cast.program),
        "supervisors": User.objects.filter(pk=cast.supervisor.pk),
        "resources": _resources(),
        "statuses": [("active", "Active")],
        "current_area": None,
        "request": RequestFactory().post("/login/"),
    }


def _resources():
    from sessions.models import Resource

    return Resource.objects.all()


def _build(cls, cast, data):
    available = _arguments(cast)
    kwargs = {}
    for name, parameter in inspect.signature(cls.__init__).parameters.items():
        if name in available and parameter.kind in {
            parameter.KEYWORD_ONLY,
            parameter.POSITIONAL_OR_KEYWORD,
        }:
            kwargs[name] = available[name]
    return cls(data=data, files=MultiValueDict(), **kwargs)


def _data_strategy(names):
    return st.fixed_dictionaries({name: VALUES for name in names}).map(MultiValueDict)


def test_every_form_is_fuzzed_here_or_through_its_view():
    assert FORMS, "no forms found"
    assert set(BUILT_BY_VIEWS) <= set(FORMS), set(BUILT_BY_VIEWS) - set(FORMS)


@pytest.mark.parametrize("path", sorted(set(FORMS) - set(BUILT_BY_VIEWS)))
def test_form_rejects_arbitrary_input_without_an_exception(path, cast):
    cls = FORMS[path]
    probe = _build(cls, cast, MultiValueDict())
    names = [probe.add_prefix(name) for name in probe.fields]

    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=_data_strategy(names))
    def check(data):
        with transaction.atomic():
            form = _build(cls, cast, data)
            form.is_valid()
            assert isinstance(form.errors, dict)
            transaction.set_rollback(True)

    check()


# --- Part 2: through the views ------------------------------------------------------------

FIELD_NAME = re.compile(r'<(?:input|select|textarea)[^>]*\sname="([^"]+)"', re.I)
PRIVILEGE = ["supervisor", "coordinator", "mentor", "mentee", "case_manager", "outsider"]


def _persona(route) -> str:
    allowed = [p for p in PRIVILEGE if route.expect.get(p, 404) < 400]
    return allowed[0] if allowed else PRIVILEGE[0]


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_posting_arbitrary_data_to_a_view_never_gives_a_server_error(name, cast):
    route = MATRIX[name]
    client = SignedInClient(raise_request_exception=False)
    client.force_login(getattr(cast, _persona(route)))
    with transaction.atomic():
        url = route.url(cast)
        names = set(route.data(cast)) if route.data else set()
        if route.method == "get":
            page = client.get(url)
            names |= set(FIELD_NAME.findall(page.content.decode(errors="replace")))
        transaction.set_rollback(True)
    names.discard("csrfmiddlewaretoken")
    names = sorted(names) or ["value"]

    @settings(
        max_examples=15,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.fixed_dictionaries({field: VALUES for field in names}))
    def check(data):
        with transaction.atomic():
            response = client.post(route.url(cast), data)
            transaction.set_rollback(True)
        assert response.status_code < 500, (name, data)

    check()
