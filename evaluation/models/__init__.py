"""Evaluation's models: outcome measures (`measures`) and periodic reports (`reports`)."""
