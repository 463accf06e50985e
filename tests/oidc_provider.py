"""A real OpenID Connect provider for the tests, served by the test server itself (django-oauth-toolkit).

tests/settings.py installs django-oauth-toolkit and mounts its URLs at /o/ beside the project's
(tests/urls.py), with an RSA key made when the tests start. A browser test reaches the provider as
http://localhost:<port>/o and the app as http://127.0.0.1:<port>, so the two keep separate cookies as
they would on separate machines; the app reads the provider's discovery document, keys and tokens over
HTTP like any other provider's.

The provider's own people are accounts named "idp-…" that sign in to it with a password; the identity each
one asserts (its e-mail address and whether the provider verified it) is set by the test (`IDENTITIES`).
"""

from __future__ import annotations

from oauth2_provider.oauth2_validators import OAuth2Validator

from tests.factories import TEST_PASSWORD, UserFactory

# What the provider says about each of its people: {"idp-ana": {"email": ..., "email_verified": True}}.
# Test-only state shared with the live server's thread (the same process).
IDENTITIES: dict[str, dict] = {}
PROVIDER_SLUG = "district-idp"
CLIENT_ID = "empathy-test-client"
CLIENT_SECRET = "test-only-client-secret-0123456789"


class ClaimsValidator(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "email": "email", "email_verified": "email",
                        "name": "profile", "given_name": "profile", "family_name": "profile"}

    def get_additional_claims(self, request):
        return dict(IDENTITIES.get(request.user.get_username(), {}))


def make_provider_application(*, app_base_url: str):
    """The app registered with the provider: a confidential client whose redirect is the app's callback."""
    from oauth2_provider.models import Application

    return Application.objects.create(
        name="Empathy Interviews", client_id=CLIENT_ID, client_secret=CLIENT_SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL, authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=f"{app_base_url.rstrip('/')}/accounts/sso/oidc/{PROVIDER_SLUG}/login/callback/",
        algorithm=Application.RS256_ALGORITHM, skip_authorization=True, hash_client_secret=True)


def provider_person(username: str, *, email: str, verified: bool = True, name: str = "Ana Morales"):
    """One of the provider's people (an account that signs in to the provider only) and what it asserts."""
    first, _space, last = name.partition(" ")
    IDENTITIES[username] = {"email": email, "email_verified": verified, "name": name, "given_name": first,
                            "family_name": last}
    return UserFactory(username=username, email="", password=TEST_PASSWORD)
