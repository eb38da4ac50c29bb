"""Search for the Learning Platform: a PostgreSQL engine behind CKAN's search
API (``backend/``), each search's parameters parsed once (``request.py``),
Lucene syntax compiled with luqum (``lucene.py``), and Khmer segmentation
applied through CKAN's IPackageController hooks (``hooks.py``) so that Solr
receives the same segmented text.  ``fields.py`` names the fields they share."""
