"""DCAT and schema.org output of the learning library, on ckanext-dcat.

``profiles/`` holds our ckanext-dcat profiles (entry points of the
``ckan.rdf.profiles`` group): ``learning_dcat_ap`` on top of ckanext-dcat's
DCAT-AP 3 profile, ``learning_schemaorg`` on top of its schema.org one (the
JSON-LD of the dataset and resource pages).  ``records`` renames a record's
fields into what ckanext-dcat reads, ``vocabularies`` maps codes to the
controlled vocabularies DCAT-AP names, ``themes`` is the SKOS concept scheme
of the nine themes, and ``views`` publishes that scheme and answers bad
catalogue page numbers in RDF.
"""
