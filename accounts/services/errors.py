class DomainError(Exception):
    """A rule of the program was broken; the message says which, in plain words.

    ``field`` names the form field the message belongs to, when there is one, so that a view
    can show it next to that field.
    """

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
