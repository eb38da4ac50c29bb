"""Suggestions as you type: titles, tags, themes and organisations."""
