"""PeerPath's page benchmark: ``make bench`` runs ``python -m bench.web`` (see run.py)."""
