"""Django's makemessages without fuzzy matching: a new string gets no guessed Spanish from a similar old
one (a guess is marked fuzzy, and the catalogue check refuses fuzzy entries; an empty one is plainer)."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
