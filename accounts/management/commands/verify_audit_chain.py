"""Check the audit trail against its seals: ``manage.py verify_audit_chain [--seal] [--strict]``.

Exits with status 1 when a row was altered, inserted or deleted, or the chain of seals is
broken; warnings (a sequence gone past the last row) fail only with ``--strict``.
"""

from django.core.management.base import BaseCommand, CommandError

from accounts import audit_chain


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; report altered, inserted or deleted rows."

    def add_arguments(self, parser):
        parser.add_argument("--seal", action="store_true", help="Seal the settled new rows first.")
        parser.add_argument("--strict", action="store_true", help="Treat warnings as failures.")

    def handle(self, *args, seal=False, strict=False, **options):
        if seal:
            audit_chain.seal_all()
        failed = False
        for report in audit_chain.verify_all():
            self.stdout.write(
                f"{report.stream}: {report.seals} seals, {report.rows} sealed rows, "
                f"{report.unsealed} not sealed yet"
            )
            for problem in report.problems:
                self.stdout.write(self.style.ERROR(f"  TAMPERED {report.stream}: {problem}"))
            for warning in report.warnings:
                self.stdout.write(self.style.WARNING(f"  WARNING {report.stream}: {warning}"))
            failed |= bool(report.problems) or (strict and bool(report.warnings))
        if failed:
            raise CommandError("The audit trail does not match its seals.")
        self.stdout.write(self.style.SUCCESS("The audit trail matches its seals."))
