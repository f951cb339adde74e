from people.factories import (
    DepartmentFactory,
    DivisionFactory,
    PersonFactory,
    PersonnelRecordFactory,
    UserFactory,
)

__all__ = [
    "DepartmentFactory",
    "DivisionFactory",
    "PersonFactory",
    "PersonnelRecordFactory",
    "UserFactory",
]
