from django.core.management.base import BaseCommand, CommandError, CommandParser

from people.models import User
from people.services import DirectoryError, hr_admin_add


class Command(BaseCommand):
    help = "Make an existing login an HR admin (for the first HR admin of a new installation)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The e-mail address the person signs in with.")

    def handle(self, *args, email: str, **options) -> None:
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"Nobody has signed in as {email} yet. Ask them to sign in (or sign up) once.")
        try:
            hr_admin_add(user=user, by=None)
        except DirectoryError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"{user.email} is now an HR admin."))
