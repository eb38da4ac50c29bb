"""Contribution workflow: CSOs submit, ODC reviews, only reviewed resources
are published; uploads checked by content, requests to join, mail."""


def N_(message: str) -> str:
    """Mark a string for extraction (Babel's default ``N_`` keyword); it is
    translated with ``tk._`` where it is shown."""
    return message
