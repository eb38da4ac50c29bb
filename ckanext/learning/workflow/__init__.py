"""Contribution workflow: the rules a contribution must pass before it is stored."""
