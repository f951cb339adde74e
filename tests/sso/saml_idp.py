"""A SAML 2.0 identity provider for the tests: it reads our AuthnRequest and answers with a signed Response.

It signs with its own key and certificate (made here) through python3-saml's signing code, so the product
checks a real XML signature, audience, destination, InResponseTo and validity window, exactly as with
Okta or Entra ID. Nothing of the product's SAML handling is replaced.
"""

from __future__ import annotations

import base64
import datetime
import secrets
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from onelogin.saml2.utils import OneLogin_Saml2_Utils

SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"


def key_and_certificate(name: str) -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return key_pem, cert.public_bytes(serialization.Encoding.PEM).decode()


def _instant(moment: datetime.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class AuthnRequest:
    id: str
    issuer: str
    acs_url: str
    relay_state: str


@dataclass
class LoopbackSamlIdp:
    entity_id: str = "https://idp.globex.test/metadata"
    sso_url: str = "https://idp.globex.test/sso"
    key: str = field(init=False)
    certificate: str = field(init=False)

    def __post_init__(self) -> None:
        self.key, self.certificate = key_and_certificate("idp.globex.test")

    def read_request(self, redirect: str) -> AuthnRequest:
        """The AuthnRequest our server sent with the HTTP-Redirect binding."""
        assert redirect.startswith(self.sso_url + "?"), redirect
        query = parse_qs(urlsplit(redirect).query)
        xml = OneLogin_Saml2_Utils.decode_base64_and_inflate(query["SAMLRequest"][0])
        root = etree.fromstring(xml)
        return AuthnRequest(
            id=root.get("ID"),
            issuer=root.findtext(f"{{{SAML}}}Issuer"),
            acs_url=root.get("AssertionConsumerServiceURL"),
            relay_state=query.get("RelayState", [""])[0],
        )

    def respond(
        self, request: AuthnRequest, *, email: str, first_name: str = "", last_name: str = "", key: str = ""
    ) -> dict[str, str]:
        """The form fields the browser posts to our ACS URL: a signed Response for ``email``."""
        now = datetime.datetime.now(datetime.UTC)
        later = now + datetime.timedelta(minutes=5)
        response_id, assertion_id = f"_r{secrets.token_hex(16)}", f"_a{secrets.token_hex(16)}"
        attributes = "".join(
            f'<saml:Attribute Name="{name}"><saml:AttributeValue>{escape(value)}</saml:AttributeValue>'
            "</saml:Attribute>"
            for name, value in (("email", email), ("firstName", first_name), ("lastName", last_name))
            if value
        )
        xml = (
            f'<samlp:Response xmlns:samlp="{SAMLP}" xmlns:saml="{SAML}" ID="{response_id}" Version="2.0" '
            f'IssueInstant="{_instant(now)}" Destination="{request.acs_url}" InResponseTo="{request.id}">'
            f"<saml:Issuer>{self.entity_id}</saml:Issuer>"
            "<samlp:Status>"
            '<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/>'
            "</samlp:Status>"
            f'<saml:Assertion ID="{assertion_id}" Version="2.0" IssueInstant="{_instant(now)}">'
            f"<saml:Issuer>{self.entity_id}</saml:Issuer>"
            "<saml:Subject>"
            '<saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">'
            f"{escape(email)}</saml:NameID>"
            '<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
            f'<saml:SubjectConfirmationData NotOnOrAfter="{_instant(later)}" Recipient="{request.acs_url}" '
            f'InResponseTo="{request.id}"/>'
            "</saml:SubjectConfirmation>"
            "</saml:Subject>"
            f'<saml:Conditions NotBefore="{_instant(now - datetime.timedelta(minutes=1))}" '
            f'NotOnOrAfter="{_instant(later)}">'
            f"<saml:AudienceRestriction><saml:Audience>{request.issuer}</saml:Audience></saml:AudienceRestriction>"
            "</saml:Conditions>"
            f'<saml:AuthnStatement AuthnInstant="{_instant(now)}" SessionIndex="_s{secrets.token_hex(8)}">'
            "<saml:AuthnContext><saml:AuthnContextClassRef>"
            "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
            "</saml:AuthnContextClassRef></saml:AuthnContext>"
            "</saml:AuthnStatement>"
            f"<saml:AttributeStatement>{attributes}</saml:AttributeStatement>"
            "</saml:Assertion>"
            "</samlp:Response>"
        )
        signed = OneLogin_Saml2_Utils.add_sign(xml, key or self.key, self.certificate)
        return {"SAMLResponse": base64.b64encode(signed).decode(), "RelayState": request.relay_state}
