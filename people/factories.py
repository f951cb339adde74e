"""factory-boy factories for the directory, used by the test suite and by ``seed_demo``."""

from __future__ import annotations

import datetime

import factory
from allauth.account.models import EmailAddress
from factory.django import DjangoModelFactory

from .models import Department, Division, Person, PersonnelRecord, User

DEMO_PASSWORD = "mentoring-demo-2026"  # noqa: S105 - the documented demo password


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.com")
    password = factory.django.Password(DEMO_PASSWORD)

    @factory.post_generation
    def verified(self, create: bool, extracted: bool | None, **kwargs) -> None:
        """A verified primary address, as after clicking the confirmation link."""
        if create and extracted is not False:
            EmailAddress.objects.update_or_create(
                user=self, email=self.email, defaults={"verified": True, "primary": True}
            )


class DivisionFactory(DjangoModelFactory):
    class Meta:
        model = Division
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Division {n}")


class DepartmentFactory(DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ("division", "name")

    division = factory.SubFactory(DivisionFactory)
    name = factory.Sequence(lambda n: f"Department {n}")


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    employee_id = factory.Sequence(lambda n: f"T{n:06d}")
    full_name = factory.Faker("name")
    email = factory.LazyAttribute(lambda p: f"{p.employee_id.lower()}@example.com")
    title = factory.Faker("job")
    job_level = 3
    department = factory.SubFactory(DepartmentFactory)
    manager = None
    location = "Baltimore"
    hire_date = datetime.date(2020, 3, 1)
    status = Person.Status.ACTIVE


class PersonnelRecordFactory(DjangoModelFactory):
    class Meta:
        model = PersonnelRecord

    person = factory.SubFactory(PersonFactory)
    kind = PersonnelRecord.Kind.PROMOTION
    effective_on = datetime.date(2025, 1, 1)
    title = factory.LazyAttribute(lambda r: r.person.title)
    job_level = factory.LazyAttribute(lambda r: r.person.job_level)
