"""Download counts kept by the portal itself (no outside analytics).

Each download of a file or a link (a ``resource.download`` answered with the
file, its first byte range, or the redirect to the link) adds one to its
resource's count (``counting.count_download``, after the response is made,
on a connection of its own).  The counts show in ``package_show`` (the
record's total and each resource's, ``download_count``), through
``learning_most_downloaded`` and in the home page's "Most downloaded".
"""
