"""The current search results as CSV or JSON, both languages, streamed.

``/learning/export.csv`` and ``/learning/export.json`` take the search
page's own parameters (``q``, ``sort`` and each facet chosen), so the links
under the results download exactly what is shown, and a program can call
them with a token as it calls the API.  Records are read from
``package_search`` a page at a time and written as they come: 100,000
records never sit in memory together (``bench/export_memory.py``).
"""
