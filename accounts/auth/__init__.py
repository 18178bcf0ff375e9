"""Signing in and staying signed in: passwords, the second factor, lockout and session limits.

- Everyone who can see other people's records (coordinators, supervisors, mentors, case
  managers, administrators) passes a second factor after the password: a TOTP app, enrolled
  with a QR code drawn on the server, with single-use recovery codes (django-otp). Mentees
  see only their own records and sign in with a password or a one-time link.
- Repeated failures lock an account+address pair for a while (django-axes); every refusal
  reads the same, so the sign-in page never tells whether an account exists.
- Sessions end after an idle period and after an absolute one, per role
  (``accounts.auth.middleware.SessionTimeoutMiddleware``); pages warn before it happens and
  forms keep a draft in the browser tab, so nobody loses what they typed.
"""
