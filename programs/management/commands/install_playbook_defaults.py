from django.core.management.base import BaseCommand

from programs.services.playbook import resources_install_defaults


class Command(BaseCommand):
    help = (
        "Add the default resources to the global playbook: guides for mentors and mentees, first-meeting "
        "questions, conversation prompts and goal templates. Resources already there (by title) are kept as "
        "they are, so running it again changes nothing."
    )

    def handle(self, *args, **options) -> None:
        created = resources_install_defaults()
        if created:
            for resource in created:
                self.stdout.write(f"  {resource.get_kind_display()}: {resource.title}")
            self.stdout.write(
                self.style.SUCCESS(f"{len(created)} default resources added to the global playbook.")
            )
        else:
            self.stdout.write("The global playbook already has every default resource; nothing to add.")
