"""Khmer text, shared by the search and the multilingual fields.

``script`` works on characters (detection, clusters, normalisation);
``segmentation`` finds the words of unspaced Khmer text for both engines.
"""
from .script import cluster_starts, clusters, has_khmer, normalize
from .segmentation import (
                           LICENCE,
                           MIN_CLUSTERS_FOR_SUBSTRING,
                           PACKAGE,
                           REQUIREMENT,
                           WHOLE_WORDS,
                           index_tokens,
                           query_tokens,
                           rank_tokens,
)

__all__ = ["cluster_starts", "clusters", "has_khmer", "normalize", "index_tokens",
           "query_tokens", "rank_tokens",
           "WHOLE_WORDS", "MIN_CLUSTERS_FOR_SUBSTRING", "PACKAGE", "REQUIREMENT",
           "LICENCE"]
