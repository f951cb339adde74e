"""Build the demo organization, one login per persona, and the demo programs. Deterministic for a seed, and
idempotent. It lives in the project package because it drives every app's demo data."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from cohorts.demo import seed_cohorts
from feedback.demo import seed_activity
from people.demo import PERSONAS, assign_personas, generate_directory, print_demo_logins
from people.factories import DEMO_PASSWORD
from people.importing import people_import, promotions_import
from people.models import Person, User
from people.services import hr_admin_add, person_link_user
from programs.demo import seed_programs


class Command(BaseCommand):
    help = (
        "Create a realistic demo organization (divisions, departments, a manager tree, leavers, "
        "promotions) and one login per persona. Running it again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument("--people", type=int, default=600, help="Organization size (default 600).")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the directory already has people (used by `make run`).",
        )

    def handle(self, *args, seed: int, people: int, if_empty: bool, **options) -> None:
        if if_empty and Person.objects.exists():
            self.stdout.write("The directory already has people; demo data left as it is.")
            return
        try:
            rows, promotions = generate_directory(people=people, seed=seed)
            assign_personas(rows)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

        self.stdout.write(f"Importing {len(rows)} people ...")
        report = people_import(rows=rows, dry_run=False, by=None)
        if report.errors:
            raise CommandError(f"The demo directory did not import: {report.errors[0]}")
        self.stdout.write(
            f"  {report.creates} created, {report.updates} updated, {report.unchanged} unchanged"
        )
        promo = promotions_import(rows=promotions, dry_run=False, by=None)
        if promo.errors:
            raise CommandError(f"The demo promotions did not import: {promo.errors[0]}")
        self.stdout.write(f"  {promo.creates} promotions recorded, {promo.unchanged} already on file")
        with transaction.atomic():
            for persona in PERSONAS:
                self._ensure_login(persona.email, hr_admin=persona.key == "hr_admin")
        personas = {
            persona.key: Person.objects.select_related("user").get(email=persona.email)
            for persona in PERSONAS
        }
        self.stdout.write("Programs ...")
        for line in seed_programs(seed=seed, by=personas["hr_admin"].user, personas=personas):
            self.stdout.write(f"  {line}")
        self.stdout.write("Pairs and their history ...")
        for line in seed_activity(seed=seed, by=personas["hr_admin"].user, personas=personas):
            self.stdout.write(f"  {line}")
        self.stdout.write("Master Mentor cycles and cohorts ...")
        for line in seed_cohorts(seed=seed, by=personas["hr_admin"].user, personas=personas):
            self.stdout.write(f"  {line}")
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        print_demo_logins(self.stdout)

    def _ensure_login(self, email: str, *, hr_admin: bool) -> None:
        user, created = User.objects.get_or_create(email=email)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        person_link_user(user=user)
        if hr_admin and not user.is_hr_admin:
            hr_admin_add(user=user, by=None)
