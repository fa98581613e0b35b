"""``python -m forumclean`` runs the command line."""

from .cli import main

main()
