"""Signing in over HTTP the way a person does: the sign-in page, the password, then the
second-factor page with the current code of the account's authenticator (RFC 6238, computed
from the TOTP secret in the seed's credentials file). Standard library only.
"""

import base64
import hashlib
import hmac
import http.client
import re
import struct
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STEP = 30


def totp(secret: str, *, at: float | None = None, digits: int = 6) -> str:
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // STEP)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return f"{code:0{digits}d}"


@dataclass
class Session:
    login: str
    role: str
    cookies: dict[str, str]

    @property
    def header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in sorted(self.cookies.items()))


class SignInError(Exception):
    pass


class Browser:
    """Just enough of a browser: one host, cookies, no redirects followed automatically."""

    def __init__(self, base_url: str):
        parts = urlsplit(base_url)
        self.base_url = base_url.rstrip("/")
        self.host, self.port = parts.hostname, parts.port or 80
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        headers = {"Host": f"{self.host}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.base_url
            headers["Referer"] = self.base_url + path
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        text = response.read().decode("utf-8", errors="replace")
        for value in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                if morsel.value == "" or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        conn.close()
        return response.status, response.headers.get("Location", ""), text

    def csrf(self, text: str) -> str:
        found = CSRF_FIELD.search(text)
        if not found:
            raise SignInError("no CSRF token on the page")
        return found.group(1)


def _local(location: str) -> str:
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def sign_in(base_url: str, account: dict) -> Session:
    """Sign ``account`` (a credentials-file entry: login, password, totp_secret) in and
    return the session's cookies. A second factor code already used (a rerun within the same
    30 s) is retried once with the next code."""
    browser = Browser(base_url)
    status, _location, text = browser.request("GET", "/login/")
    if status != 200:
        raise SignInError(f"GET /login/ answered {status}")
    status, location, text = browser.request(
        "POST",
        "/login/",
        {
            "csrfmiddlewaretoken": browser.csrf(text),
            "username": account["login"],
            "password": account["password"],
        },
    )
    if status != 302:
        raise SignInError(f"{account['login']}: the password was refused ({status})")
    location = _local(location)
    if location.startswith("/account/verify/"):
        secret = account.get("totp_secret")
        if not secret:
            raise SignInError(f"{account['login']}: a second factor is asked, no secret known")
        for attempt in range(2):
            status, _loc, text = browser.request("GET", location)
            status, next_location, text = browser.request(
                "POST",
                location,
                {"csrfmiddlewaretoken": browser.csrf(text), "otp_token": totp(secret)},
            )
            if status == 302:
                break
            if attempt == 0:  # that code was used already: wait for the next one
                time.sleep(STEP - time.time() % STEP + 1)
        else:
            raise SignInError(f"{account['login']}: the second factor code was refused")
        location = _local(next_location)
    elif location.startswith("/account/two-factor/"):
        raise SignInError(f"{account['login']} has no confirmed authenticator")
    status, _loc, _text = browser.request("GET", location or "/")
    if status != 200:
        raise SignInError(f"{account['login']}: {location} answered {status} after sign-in")
    return Session(login=account["login"], role=account.get("role", ""), cookies=browser.cookies)


def get_status(base_url: str, session: Session, path: str) -> tuple[int, str]:
    browser = Browser(base_url)
    browser.cookies = dict(session.cookies)
    status, location, _text = browser.request("GET", path)
    return status, location
