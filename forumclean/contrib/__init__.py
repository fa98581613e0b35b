"""Adapters that plug forumclean into other tools; each needs its own optional extra."""
