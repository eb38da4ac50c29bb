"""What the portals that harvest this one need (issue 15).

Civil-society organisations take the catalogue into portals of their own,
with ckanext-harvest's CKAN harvester or ckanext-dcat's RDF harvester:

- a portal with our ``learning_search`` and ``learning_fluent`` plugins
  harvests our normal API or ``/catalog.ttl`` and keeps both languages, with
  the scheming schemas here (``cso_portal_schema.yaml``,
  ``cso_portal_dcat_schema.yaml``; dataset type ``learning-resource``, which
  the CKAN harvester copies);
- a stock CKAN portal harvests ``/learning/core-fields/<lang>`` (``views``,
  ``core_fields``): our records in the fields core CKAN has.
"""
