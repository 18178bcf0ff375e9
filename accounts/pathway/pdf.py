"""The training record as a PDF certificate a mentor can attach to job applications: the
modules with their hours and dates, the total hours, the certification and its dates.
No health information is on it."""

from django.template.loader import render_to_string
from django.utils import timezone

from accounts.pathway.selectors import TrainingRecord


def certificate_html(record: TrainingRecord) -> str:
    return render_to_string(
        "accounts/pathway/certificate.html",
        {"record": record, "mentor": record.mentor, "today": timezone.localdate()},
    )


def certificate_pdf(record: TrainingRecord) -> bytes:
    from weasyprint import HTML  # heavy import, only when a certificate is asked for

    return HTML(string=certificate_html(record)).write_pdf()
