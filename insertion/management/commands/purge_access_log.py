from django.core.management.base import BaseCommand

from insertion.audit import access_log_purge


class Command(BaseCommand):
    help = "Delete the access-log entries older than twelve months. Safe to run every day."

    def handle(self, *args, **options):
        deleted = access_log_purge()
        self.stdout.write(f"{deleted} access-log entries older than twelve months deleted.")
