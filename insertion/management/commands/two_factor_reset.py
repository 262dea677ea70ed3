from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from insertion.models import User


class Command(BaseCommand):
    help = (
        "Remove a member's two-factor authentication device, when they lost or changed their phone. Their sessions "
        "stop being verified at once; at their next sign-in an administrator must set up a new device, the others "
        "may. Check who is asking first (call them back on a number you already know): this removes a protection."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        try:
            user = User.objects.get_by_natural_key(User.objects.normalize_email(email))
        except User.DoesNotExist:
            raise CommandError(f"No account has the address “{email}”.") from None
        count, _details = TOTPDevice.objects.devices_for_user(user, confirmed=None).delete()
        self.stdout.write(f"Removed {count} two-factor device(s) of {user.email}.")
