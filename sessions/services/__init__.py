"""State changes of sessions, feedback, safety alerts and supervision, one module per area.
Import from here: ``from sessions import services``."""
