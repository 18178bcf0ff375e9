"""Forms of the matching app, one module per area."""
