"""What a record's files look like on its pages: PDFs previewed by PDF.js
served from the portal itself, links to video sites that load nothing from
the site until the visitor asks, and the "cite this resource" box.

Two resource-view plugins (``learning_pdf_view``, ``learning_video_link_view``,
``plugin.py``) sit beside core's ``video_view`` and ``audio_view``; the
citations belong to the ``learning`` plugin (``citation.py``, ``action.py``,
``views.py``)."""
