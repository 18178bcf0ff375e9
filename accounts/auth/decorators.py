"""Marks views a signed-in person may open before passing the second factor."""

from functools import wraps


def second_factor_exempt(view):
    """Let a signed-in person who has not yet passed the second factor open ``view``.

    For the sign-in steps themselves and public pages that show no one's records (a one-time
    feedback link, the public application form). Everything else redirects to the second
    factor first (``accounts.auth.middleware.SecondFactorMiddleware``).
    """

    @wraps(view)
    def wrapper(*args, **kwargs):
        return view(*args, **kwargs)

    wrapper.second_factor_exempt = True
    return wrapper
