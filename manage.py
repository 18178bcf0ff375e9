#!/usr/bin/env python
import os
import sys

# Commands that only read the code (models, templates): they sign nothing and serve no one,
# so they run without SECRET_KEY. Everything else still refuses to start without it.
KEYLESS_COMMANDS = {"makemigrations", "makemessages", "compilemessages", "showmigrations"}


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentorship.settings")
    if len(sys.argv) > 1 and sys.argv[1] in KEYLESS_COMMANDS:
        os.environ["PEERPATH_KEYLESS_COMMAND"] = "1"
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
