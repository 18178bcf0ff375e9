"""Journey 4: the supervisor signs in with their password and authenticator code, opens the
outcome dashboard, goes on to last month's evaluation report, downloads its PDF, comments on
it and signs it off.

On the way the dashboard's filters and the comment form are sent empty and with nonsense: the
errors appear next to the fields, are announced and linked from the error summary, and what
was typed stays.
"""

import datetime
import re

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from evaluation.models import EvaluationReport
from evaluation.services import reports
from matching.models import Match
from tests.accounts.auth_helpers import authenticator
from tests.browser.announced import assert_error_announced, assert_valid
from tests.browser.conftest import sign_in_with_authenticator
from tests.factories import TEST_PASSWORD
from tests.sessions.factories import MentoringSessionFactory

DESKTOP = {"width": 1280, "height": 900}
# A PDF is drawn on request and the machine may be shared: allow more than the default 10 s.
SLOW_PAGE_MS = 30_000


def held_on(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(17, 0)))


def monthly_report(cast, start: datetime.date, end: datetime.date) -> EvaluationReport:
    """A monthly report built as the beat's task builds it."""
    report = EvaluationReport.objects.create(
        program=cast.program,
        kind=EvaluationReport.Kind.MONTHLY,
        period_start=start,
        period_end=end,
        steps_total=len(reports.STEPS),
    )
    return reports.build_report(report_id=report.pk)


@pytest.fixture
def last_month(cast):
    """Two matches that started three months ago and met last month; the reports of last
    month and of the month before are built; the supervisor uses an authenticator app."""
    today = timezone.localdate()
    start, end = reports.month_before(today)
    Match.objects.filter(pk__in=[cast.match.pk, cast.match2.pk]).update(
        started_on=today - datetime.timedelta(days=90)
    )
    for match, days in ((cast.match, (2, 9, 16, 23)), (cast.match2, (4, 18))):
        for day in days:
            MentoringSessionFactory(match=match, starts_at=held_on(start + datetime.timedelta(day)))
    monthly_report(cast, *reports.month_before(start))
    authenticator(cast.supervisor)
    return monthly_report(cast, start, end)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_supervisor_reviews_downloads_and_signs_off_last_months_report(
    cast, last_month, new_page, shot
):
    today = timezone.localdate()
    page = new_page(viewport=DESKTOP, accept_downloads=True)
    page.set_default_timeout(SLOW_PAGE_MS)
    sign_in_with_authenticator(page, cast.supervisor.email, TEST_PASSWORD)
    artifacts = shot(page, "home").parent

    # --- The dashboard and its filters -----------------------------------------------------
    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():  # below 1400 px the main navigation folds into a menu button
        menu.click()
    page.get_by_role("link", name="Outcomes").click()
    assert page.get_by_role("heading", name="Outcome dashboard").is_visible()
    start, end = page.get_by_label("From"), page.get_by_label("To")
    show = page.get_by_role("button", name="Show")

    # Empty filters are not a mistake: they mean the last 90 days of every program.
    with page.expect_navigation():
        show.click()
    assert page.locator(".error-summary").count() == 0
    assert_valid(end)
    key_figures = page.get_by_role("heading", name="Key figures")
    assert str(today) in key_figures.inner_text()
    shot(page, "dashboard")

    # Nonsense: a period that ends before it starts.
    start.fill("2026-03-31")
    end.fill("2026-03-01")
    with page.expect_navigation():
        show.click()
    assert_error_announced(page, end, "The period must end on or after the day it starts.")
    assert (start.input_value(), end.input_value()) == ("2026-03-31", "2026-03-01")
    assert page.get_by_text("No figures: please correct the filters above.").is_visible()
    shot(page, "dashboard-backwards-period")

    # Nonsense: a period that ends in the future.
    next_month = today + datetime.timedelta(days=31)
    end.fill(next_month.isoformat())
    with page.expect_navigation():
        show.click()
    assert_error_announced(page, end, "The period cannot end in the future")
    assert (start.input_value(), end.input_value()) == ("2026-03-31", next_month.isoformat())
    shot(page, "dashboard-future-period")

    # --- The latest report -----------------------------------------------------------------
    page.get_by_role("link", name="Evaluation reports").click()
    rows = page.locator("table tbody tr")
    assert rows.count() == 2
    period = " – ".join(
        date_format(day, "SHORT_DATE_FORMAT")
        for day in (last_month.period_start, last_month.period_end)
    )
    assert period in rows.first.inner_text()
    shot(page, "report-list")
    rows.first.get_by_role("link", name="Program A").click()
    assert page.get_by_role("heading", name="Monthly evaluation report: Program A").is_visible()
    assert page.get_by_role("status").inner_text() == "The report is ready."
    sessions_held = page.locator("dt", has_text="Sessions held").first.locator("xpath=../dd")
    assert sessions_held.inner_text() == "6"
    shot(page, "report")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    pdf = artifacts / download.suggested_filename
    download.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")

    # --- A comment, then the sign-off ------------------------------------------------------
    comment = page.get_by_role("textbox", name=re.compile(r"^Comment"))
    add = page.get_by_role("button", name="Add the comment")
    with page.expect_navigation():
        add.click()
    assert_error_announced(page, comment, "This field is required.")
    shot(page, "comment-empty")

    comment.fill("   ")  # only spaces
    with page.expect_navigation():
        add.click()
    assert_error_announced(page, comment, "This field is required.")
    assert last_month.comments.count() == 0
    shot(page, "comment-spaces")

    comment.fill("Six sessions held; checked against the mentors' logs.")
    with page.expect_navigation():
        add.click()
    assert page.get_by_text("Your comment is added.").is_visible()
    assert page.get_by_text("Six sessions held; checked against the mentors' logs.").is_visible()

    with page.expect_navigation():
        page.get_by_role("button", name="Sign off this report").click()
    assert page.get_by_text("The report is signed off.").is_visible()
    signed = page.locator("[data-signed]")
    assert signed.inner_text().startswith("Signed off by Supervisor on ")
    assert page.get_by_role("button", name="Sign off this report").count() == 0
    assert comment.count() == 0
    shot(page, "signed-off")

    last_month.refresh_from_db()
    assert last_month.signed_off_by == cast.supervisor
    assert last_month.signed_off_at is not None
