"""Security checks run beside the suite by ``make security``.

- bandit over the application code, medium severity and up. ``bandit-baseline.json`` holds
  the findings reviewed and judged safe, so that only new ones fail the target:
  rotate_field_keys.py B608 (table and column names come from the model's metadata, values
  are parameters), evaluation/charts.py B308/B703 (``mark_safe`` over parts each built by
  ``format_html``), evaluation/views/dashboards.py B610 (a local function named ``extra``,
  not ``QuerySet.extra``), mentorship/templatetags/peerpath.py B308 (a constant string).
  Low-severity findings (``random`` for demo data and retry jitter, demo passwords) are not
  security paths.
- ``test_form_fuzz.py``: a hypothesis fuzz of every form and of every form view.
"""
