from django.core.management.base import BaseCommand
from django.utils import timezone

from beneficiaries.models import Beneficiary
from beneficiaries.privacy import RETENTION_DAYS, beneficiary_anonymise, due_for_anonymisation
from insertion.audit import access_log_purge


class Command(BaseCommand):
    help = (
        f"Anonymise the files without any contact for {RETENTION_DAYS} days (CNIL référentiel 2023-095) and purge "
        "the access log older than twelve months. A dry run by default: it lists what would change. Safe to "
        "schedule daily: an anonymised file is skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="Anonymise the files instead of listing them.")

    def handle(self, *args, apply=False, **options):
        today = timezone.localdate()
        due = list(due_for_anonymisation(Beneficiary.objects.all(), today).order_by("organisation_id", "pk"))
        for beneficiary in due:
            # The number and the last contact only: the output ends up in logs and e-mails from cron.
            self.stdout.write(
                f"{'anonymised' if apply else 'would anonymise'}: file {beneficiary.pk} "
                f"(organisation {beneficiary.organisation_id}, last contact {beneficiary.last_contact:%Y-%m-%d})"
            )
            if apply:
                beneficiary_anonymise(beneficiary)
        if apply:
            purged = access_log_purge()
            self.stdout.write(
                f"{len(due)} files anonymised; {purged} access-log entries older than twelve months deleted."
            )
        else:
            self.stdout.write(f"{len(due)} files would be anonymised. Nothing was changed: run with --apply to act.")
