def test_personas_are_linked_to_their_person(employee, manager):
    assert employee.person.manager == manager.person
