"""The mentor pathway: recruitment and screening, training and core competencies,
certification, employment outcomes, supervision cadence and mentor well-being.

Records about a person live here, below matching; the rule that reads match closures (which
mentees may be invited to become mentors) lives in ``matching.pathway`` and reaches these
services through the ``INVITATION_BLOCKERS`` hook. Supervision meetings are the sessions
app's; it tells this package when each mentor last met a supervisor through
``SUPERVISION_DATES``.
"""
