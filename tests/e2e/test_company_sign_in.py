"""Company sign-in in the browser: HR adds an OpenID Connect provider, a mentee signs in with it.

The identity provider is real: oidc-provider-mock runs on loopback in the test process, and the browser,
the product's server and the provider talk to each other as they would in production.
"""

import pytest
from oidc_provider_mock import User as IdpUser
from oidc_provider_mock import run_server_in_thread

pytestmark = pytest.mark.e2e


@pytest.fixture
def identity_provider():
    claims = {"email": "mentee@example.com", "email_verified": True, "name": "Demo Mentee"}
    with run_server_in_thread(user_claims=[IdpUser(sub="mentee", claims=claims)]) as server:
        yield f"http://localhost:{server.server_port}"


def test_hr_adds_a_provider_and_a_mentee_signs_in_with_the_company_account(journey, identity_provider):
    hr = journey("hr.admin@example.com")
    page = hr.page
    with hr.step("HR opens single sign-on from the HR menu"):
        hr.visit("/")
        page.get_by_role("button", name="HR", exact=True).click()
        page.get_by_role("link", name="Single sign-on").click()
        page.wait_for_load_state()
        hr.check_accessibility()
    with hr.step("HR adds the OpenID Connect provider for example.com"):
        page.get_by_role("link", name="Add an OpenID Connect provider").click()
        page.wait_for_load_state()
        hr.check_accessibility()
        page.get_by_label("Display name").fill("Example Corp")
        page.get_by_label("Identifier").fill("example-corp")
        page.get_by_label("E-mail domains").fill("example.com")
        page.get_by_label("Issuer URL").fill(identity_provider)
        page.get_by_label("Client ID").fill("mentoring")
        page.get_by_label("Client secret").fill("loopback-secret")
        page.get_by_role("button", name="Save").click()
        page.wait_for_load_state()
        assert page.get_by_text("Example Corp added.").is_visible()
        assert page.get_by_text("/accounts/oidc/example-corp/login/callback/").is_visible()

    mentee = journey(None)
    tab = mentee.page
    with mentee.step("the login page offers company sign-in"):
        mentee.visit("/accounts/login/")
        tab.get_by_label("Work e-mail address").fill("mentee@example.com")
        tab.get_by_role("button", name="Continue with your company account").click()
        tab.wait_for_url(f"{identity_provider}/**")
    with mentee.step("the identity provider signs the mentee in and sends them home"):
        tab.get_by_role("button", name="mentee").click()
        tab.wait_for_url(f"{mentee.demo.url}/")
        mentee.check_accessibility()
        assert tab.get_by_role("link", name="Your pairs").is_visible()

    with hr.step("HR removes the provider again"):
        hr.visit("/sso/providers/")
        page.get_by_role("link", name="Remove").click()
        page.wait_for_load_state()
        assert page.get_by_text("1 login signed in with it").is_visible()
        page.get_by_role("button", name="Remove").click()
        page.wait_for_load_state()
        assert page.get_by_text("No provider yet").is_visible()
