import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts import imports
from accounts.models import MenteeProfile, MentorProfile, User
from tests import factories as f

pytestmark = pytest.mark.django_db

MENTEES = (
    "name,email,language,life_goals,availability,modalities,birth_date,idd_mh,status\n"
    "Rosa Diaz,rosa@example.org,es,Housing;employment,tue-evening;sat-morning,phone;video,"
    "2001-04-02,yes,waiting\n"
    "Sam Lee,,en,,,in_person,,no,\n"
)


@pytest.fixture(autouse=True)
def _life_goals(db):
    f.LifeGoalAreaFactory(slug="housing", name="Housing")
    f.LifeGoalAreaFactory(slug="employment", name="Employment")


def _upload(client, program, text, kind="mentee", encoding="utf-8-sig"):
    # UTF-8 with a byte order mark, as Excel saves "CSV UTF-8".
    file = SimpleUploadedFile("people.csv", text.encode(encoding), content_type="text/csv")
    return client.post(
        reverse("accounts:import_upload"), {"kind": kind, "program": program.pk, "file": file}
    )


def _confirm(client, program, payload):
    return client.post(
        reverse("accounts:import_confirm"), {"program": program.pk, "payload": payload}
    )


def _signed(cast, text, kind="mentee"):
    return imports.sign_payload(actor=cast.coordinator, program=cast.program, kind=kind, text=text)


def test_valid_mentee_file_previews_without_saving_then_imports_every_row(cast, login):
    client = login(cast.coordinator)
    before = MenteeProfile.objects.count()
    preview = _upload(client, cast.program, MENTEES)
    assert preview.status_code == 200
    assert "Rosa Diaz" in preview.text and "Sam Lee" in preview.text
    assert MenteeProfile.objects.count() == before

    response = _confirm(client, cast.program, preview.context["payload"])
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:mentee_list")
    assert MenteeProfile.objects.count() == before + 2
    rosa = MenteeProfile.objects.get(user__email="rosa@example.org")
    assert (rosa.status, rosa.idd_mh, rosa.user.preferred_language) == ("waiting", True, "es")
    assert set(rosa.life_goals.values_list("slug", flat=True)) == {"housing", "employment"}
    assert rosa.availability == ["tue-evening", "sat-morning"]


def test_success_message_counts_the_imported_people(cast, login):
    response = _confirm(login(cast.coordinator), cast.program, _signed(cast, MENTEES))
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["2 mentees imported."]


def test_valid_mentor_file_imports_and_goes_to_the_mentor_list(cast, login):
    text = "name,email,capacity,idd_mh_experience,status\nAna Ruiz,ana@example.org,3,yes,active\n"
    response = _confirm(login(cast.coordinator), cast.program, _signed(cast, text, "mentor"))
    assert response["Location"] == reverse("accounts:mentor_list")
    ana = MentorProfile.objects.get(user__email="ana@example.org")
    assert (ana.capacity, ana.idd_mh_experience) == (3, True)


def _three_years_ago() -> str:
    return (timezone.localdate() - datetime.timedelta(days=3 * 366)).isoformat()


@pytest.mark.parametrize(
    ("kind", "header", "bad_cell", "problem"),
    [
        ("mentee", "life_goals", "Housing;Flying", "Unknown life-goal area: “Flying”"),
        ("mentor", "capacity", "11", "less than or equal to 10"),
        ("mentee", "birth_date", _three_years_ago(), "at least 14 years old"),
        ("mentee", "birth_date", "04/02/2001", "YYYY-MM-DD"),
    ],
)
def test_one_bad_row_imports_nothing_and_names_the_row_and_problem(
    cast, login, kind, header, bad_cell, problem
):
    text = f"name,{header}\nGood One,\nBad One,{bad_cell}\nGood Two,\n"
    users_before = User.objects.count()
    response = _confirm(login(cast.coordinator), cast.program, _signed(cast, text, kind))
    assert response.status_code == 200
    assert "Nothing was imported" in response.text
    assert [(e.row, e.column) for e in response.context["result"].errors] == [(3, header)]
    assert problem in response.text
    assert User.objects.count() == users_before


def test_preview_lists_row_errors_and_offers_no_confirmation(cast, login):
    text = MENTEES + "Lee Park,,,Flying,,,,,\n"
    response = _upload(login(cast.coordinator), cast.program, text)
    assert "Row 4" in response.text
    assert "Unknown life-goal area: “Flying”" in response.text
    assert response.context["payload"] is None


def test_terms_match_by_name_or_slug_in_any_case_but_not_retired_ones(cast):
    f.LifeGoalAreaFactory(slug="old-goal", name="Old goal", is_active=False)
    text = "name,life_goals\nRosa,HOUSING;employment\nSam,Old goal\n"
    result = imports.preview_import(
        actor=cast.coordinator, program=cast.program, kind="mentee", text=text
    )
    assert result.rows[0].life_goals == ["Housing", "Employment"]
    assert [(e.row, e.message) for e in result.errors] == [
        (3, "Unknown life-goal area: “Old goal”.")
    ]


def test_same_email_twice_in_the_file_is_reported(cast, login):
    text = "name,email\nRosa Diaz,rosa@example.org\nRosa D.,ROSA@example.org\n"
    response = _upload(login(cast.coordinator), cast.program, text)
    [error] = response.context["result"].errors
    assert (error.row, error.column) == (3, "email")
    assert "The same email address is on row 2." in response.text


def test_existing_account_is_reused_for_a_new_role(cast, login):
    text = f"name,email\nSomeone,{cast.mentor.email}\n"
    response = _upload(login(cast.coordinator), cast.program, text)
    assert "Existing account" in response.text


def test_tampered_payload_imports_nothing(cast, login):
    payload = _signed(cast, MENTEES)
    tampered = payload.replace(payload[5], "A" if payload[5] != "A" else "B", 1)
    before = MenteeProfile.objects.count()
    response = _confirm(login(cast.coordinator), cast.program, tampered)
    assert "could not be verified" in response.text
    assert MenteeProfile.objects.count() == before


def test_payload_signed_for_another_user_imports_nothing(cast, login):
    before = MenteeProfile.objects.count()
    response = _confirm(login(cast.supervisor), cast.program, _signed(cast, MENTEES))
    assert "could not be verified" in response.text
    assert MenteeProfile.objects.count() == before


def test_preview_older_than_an_hour_imports_nothing(cast, login):
    payload = _signed(cast, MENTEES)
    before = MenteeProfile.objects.count()
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=2)):
        response = _confirm(login(cast.coordinator), cast.program, payload)
    assert "more than an hour old" in response.text
    assert MenteeProfile.objects.count() == before


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("email,shoe_size\nrosa@example.org,9\n", "required columns are missing: name"),
        ("name,shoe_size,capacity\nRosa,9,2\n", "not known for this kind of file: shoe_size"),
        ("name\n", "no people in it"),
        ("name,,email,,\nRosa,,,,\n", "not known for this kind of file: (empty)"),
    ],
)
def test_header_problems_are_reported_before_any_row(cast, login, text, problem):
    response = _upload(login(cast.coordinator), cast.program, text)
    assert problem in response.text
    assert "result" not in response.context


def test_trailing_empty_columns_from_a_spreadsheet_are_ignored(cast):
    text = "name,email,,\nRosa,rosa@example.org,,\n"
    result = imports.preview_import(
        actor=cast.coordinator, program=cast.program, kind="mentee", text=text
    )
    assert result.ok and result.rows[0].email == "rosa@example.org"


def test_file_that_is_not_utf8_is_refused(cast, login):
    response = _upload(
        login(cast.coordinator), cast.program, "name\nJosé Núñez\n", encoding="cp1252"
    )
    assert "not saved as UTF-8" in response.text


def test_file_over_the_row_limit_is_refused(cast, login, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 1)
    response = _upload(login(cast.coordinator), cast.program, MENTEES)
    assert "at most 1 can be imported" in response.text


def test_file_over_the_size_limit_is_refused(cast, login, monkeypatch):
    monkeypatch.setattr(imports, "MAX_BYTES", 10)
    response = _upload(login(cast.coordinator), cast.program, MENTEES)
    assert "larger than 1 MB" in response.text


@pytest.mark.parametrize("persona", ["mentor", "mentee", "case_manager"])
def test_people_who_do_not_staff_a_program_get_404(cast, login, persona):
    client = login(getattr(cast, persona))
    assert client.get(reverse("accounts:import_upload")).status_code == 404
    assert _upload(client, cast.program, MENTEES).status_code == 404


def test_outsider_cannot_import_into_another_program(cast, login):
    client = login(cast.outsider)
    before = MenteeProfile.objects.count()
    assert _upload(client, cast.program, MENTEES).status_code == 404
    assert _confirm(client, cast.program, _signed(cast, MENTEES)).status_code == 404
    assert MenteeProfile.objects.count() == before


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get(reverse("accounts:import_upload"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_confirm_refuses_get(cast, login):
    assert login(cast.coordinator).get(reverse("accounts:import_confirm")).status_code == 405


def test_template_csv_has_the_header_of_its_kind(cast, login):
    url = reverse("accounts:import_template", args=["mentor"])
    response = login(cast.coordinator).get(url)
    assert response["Content-Type"].startswith("text/csv")
    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header.split(",") == list(imports.COLUMNS["mentor"])


def test_upload_page_documents_every_column(cast, login):
    response = login(cast.coordinator).get(reverse("accounts:import_upload"))
    assert 'enctype="multipart/form-data"' in response.text
    for column in imports.COLUMNS["mentee"] + imports.COLUMNS["mentor"]:
        assert f"<code>{column}</code>" in response.text
