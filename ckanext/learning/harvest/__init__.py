"""Configuration for the portals that harvest this one (issue 15).

Civil-society organisations take the catalogue into portals of their own,
with ckanext-harvest's CKAN harvester or ckanext-dcat's RDF harvester.  What
those portals need from us is not a plugin but configuration: the scheming
schemas here (``cso_portal_schema.yaml`` keeps both languages with only the
``learning_search`` and ``learning_fluent`` plugins; ``plain_portal_schema.yaml``
is core CKAN's fields alone) and the settings the harvest tests
(``tests/harvest/``) write into each portal's ini.  Both schemas are of the
dataset type ``learning-resource``: the CKAN harvester copies each record's
``type``, and a portal without that type answers 500 on its dataset pages.
"""
