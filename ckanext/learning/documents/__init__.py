"""Text inside documents, and covers.

After a PDF, DOCX, ODT or PPTX is uploaded, a background job
(:mod:`.jobs`) reads its text (:mod:`.extract`), keeps it per resource
(:mod:`.model`, table ``learning_document_text``), renders the first page of
a PDF as a small cover (:mod:`.covers`) and re-indexes the dataset, whose
index document then carries the text (:mod:`.index`).  Covers are served by
:mod:`.views`, respecting the dataset's visibility.
"""
