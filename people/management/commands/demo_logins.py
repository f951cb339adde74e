from django.core.management.base import BaseCommand

from people.demo import print_demo_logins


class Command(BaseCommand):
    help = "Print the demo logins created by seed_demo."

    def handle(self, *args, **options) -> None:
        print_demo_logins(self.stdout)
