from django.test import RequestFactory

from mentoring.tokens import bearer_token, digest, issue


def test_an_issued_token_is_random_prefixed_and_stored_only_as_its_digest():
    first, second = issue("scim"), issue("scim")
    assert first.plaintext.startswith("scim_") and len(first.plaintext) > 40
    assert first.plaintext != second.plaintext
    assert first.digest == digest(first.plaintext) and first.plaintext not in first.digest
    assert first.hint == first.plaintext[-4:]


def test_bearer_token_reads_only_the_bearer_scheme():
    factory = RequestFactory()
    assert bearer_token(factory.get("/", HTTP_AUTHORIZATION="Bearer abc ")) == "abc"
    assert bearer_token(factory.get("/", HTTP_AUTHORIZATION="bearer abc")) == "abc"
    assert bearer_token(factory.get("/", HTTP_AUTHORIZATION="Basic abc")) is None
    assert bearer_token(factory.get("/", HTTP_AUTHORIZATION="Bearer ")) is None
    assert bearer_token(factory.get("/")) is None
