"""Small helpers that read configuration from the environment and fail loudly.

Every setting PeerPath takes from outside comes through one of these, so that a malformed
value stops the process at start-up with a message naming the variable, instead of
surfacing later as a confusing error.
"""

import os
from urllib.parse import parse_qs, unquote, urlsplit


class ImproperlyConfiguredEnv(Exception):
    """A variable is set to a value PeerPath cannot use."""


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool) -> bool:
    value = env_str(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfiguredEnv(f"{name} must be one of {sorted(_TRUE | _FALSE)}, not {value!r}.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = env_str(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfiguredEnv(f"{name} must be a whole number, not {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfiguredEnv(f"{name} must be at least {minimum}, not {number}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = env_str(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_url(name: str, default: str | None, *, schemes: set[str]) -> str | None:
    value = env_str(name, default)
    if value is None:
        return None
    scheme = value.split("://", 1)[0] if "://" in value else ""
    if scheme not in schemes:
        raise ImproperlyConfiguredEnv(
            f"{name} must be a URL starting with one of {sorted(schemes)}://, not {value!r}."
        )
    return value


def mailer_from_url(url: str) -> dict:
    """A Django ``MAILERS`` entry from an ``EMAIL_URL``.

    ``smtp://user:password@host:port`` (``?tls=1`` or ``smtps://`` for TLS),
    ``console://``, ``file:///absolute/folder`` or ``memory://``.
    """
    parts = urlsplit(url)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if parts.scheme == "console":
        return {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme == "memory":
        return {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    if parts.scheme == "file":
        return {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": unquote(parts.path)},
        }
    try:
        port = parts.port or (465 if parts.scheme == "smtps" else 25)
        timeout = int(query.get("timeout", "10"))
    except ValueError:
        raise ImproperlyConfiguredEnv(
            f"EMAIL_URL has an invalid port or timeout: {url!r}."
        ) from None
    if not parts.hostname:
        raise ImproperlyConfiguredEnv(f"EMAIL_URL names no host: {url!r}.")
    return {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": parts.hostname,
            "port": port,
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_ssl": parts.scheme == "smtps",
            "use_tls": query.get("tls", "0") in _TRUE,
            "timeout": timeout,
        },
    }
