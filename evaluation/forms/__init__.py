"""Forms of evaluation, one module per area."""
