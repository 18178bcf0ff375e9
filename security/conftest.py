"""The security checks beside the suite (``make security``) use the suite's cast of people."""

from tests.conftest import _test_settings, cast, login  # noqa: F401
