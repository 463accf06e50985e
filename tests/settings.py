"""Test settings: the real settings, with a throwaway key and fast password hashing.

Celery stays eager here even when REDIS_URL is set: tests that need a real worker say so
with the `redis` marker and switch eager mode off themselves.
"""

import os
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-that-is-long-enough-for-django-checks-0123456789")

from empathy.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CELERY_TASK_ALWAYS_EAGER = True
# The tests send the assistant's training as the Celery task a district's workers run (tasks run eagerly here);
# tests/analysis/test_assistant.py turns the laptop's page-view training on where it tests it.
ASSISTANT_TRAINS_ON_PAGE_VIEW = False
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
# A worker process started by a test is told where the test keeps files (see conftest).
MEDIA_ROOT = Path(os.environ.get("TEST_MEDIA_ROOT", str(BASE_DIR / "test-artifacts" / "media")))  # noqa: F405
# Serve static files from the app folders as runserver would; no collectstatic in tests.
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# A real OpenID Connect provider served by the test server beside the app (tests/oidc_provider.py), signing
# its ID tokens with an RSA key made for this test run.
def _test_rsa_key() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode("ascii")


INSTALLED_APPS = [*INSTALLED_APPS, "oauth2_provider"]  # noqa: F405
ROOT_URLCONF = "tests.urls"
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": _test_rsa_key(),
    "PKCE_REQUIRED": True,
    "SCOPES": {"openid": "OpenID Connect", "email": "E-mail address", "profile": "Name"},
    "OAUTH2_VALIDATOR_CLASS": "tests.oidc_provider.ClaimsValidator",
}
