"""Counting a download, and reading the counts."""
from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

import ckan.model as model
import sqlalchemy as sa
from flask import Response, request

from ckanext.learning.downloads.model import DownloadCount

__all__ = ["DOWNLOAD_COUNT", "add_counts", "add_counts_to_results", "count_download",
           "counts_of", "most_downloaded_ids"]

#: The key ``package_show`` adds to a record and to each of its resources
#: (shown, never stored from input).
DOWNLOAD_COUNT = "download_count"

log = logging.getLogger(__name__)

#: How core sends a visitor on to a link resource.
REDIRECTS = (301, 302, 303, 307, 308)

_UPSERT = sa.text("""
    INSERT INTO learning_download_count (resource_id, package_id, count, last)
    SELECT r.id, r.package_id, 1, now() at time zone 'utc'
    FROM resource r WHERE r.id = :id AND r.state = 'active'
    ON CONFLICT (resource_id) DO UPDATE
    SET count = learning_download_count.count + 1, last = EXCLUDED.last""")


def counts_as_a_download(response: Response) -> bool:
    """A GET answered with the file, its first range, or the redirect to a
    link (a video player asking for later ranges is the same download; a
    304 is a copy the browser already has)."""
    if request.method != "GET":
        return False
    if response.status_code == 206:
        return (request.range is not None and request.range.ranges[0][0] == 0)
    return response.status_code in (200, *REDIRECTS)


def count_download(resource_id: str) -> None:
    """One more download of ``resource_id``, on a connection of its own (the
    request's session is left alone); a failure is logged, never raised."""
    try:
        with model.meta.engine.begin() as connection:
            connection.execute(_UPSERT, {"id": resource_id})
    except sa.exc.SQLAlchemyError as err:
        log.warning("Download of %s not counted: %s", resource_id, err)


def counts_of(package_id: str) -> dict[str, int]:
    """``{resource_id: count}`` of one record's resources."""
    return dict(model.Session.query(DownloadCount.resource_id, DownloadCount.count)
                .filter(DownloadCount.package_id == package_id).all())


def most_downloaded_ids(limit: int, among: Iterable[str] | None = None) -> list[str]:
    """Records by their total downloads, most first."""
    total = sa.func.sum(DownloadCount.count)
    query = (model.Session.query(DownloadCount.package_id, total)
             .group_by(DownloadCount.package_id).order_by(total.desc(),
                                                          DownloadCount.package_id))
    if among is not None:
        query = query.filter(DownloadCount.package_id.in_(list(among)))
    return [package_id for package_id, _ in query.limit(limit).all()]


def _set_counts(pkg_dict: dict[str, Any], counts: dict[str, int]) -> None:
    for resource in pkg_dict.get("resources") or []:
        resource[DOWNLOAD_COUNT] = counts.get(resource.get("id"), 0)
    pkg_dict[DOWNLOAD_COUNT] = sum(counts.values())


def add_counts(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """``download_count`` on the record (its total) and on each resource."""
    if pkg_dict.get("id"):
        _set_counts(pkg_dict, counts_of(pkg_dict["id"]))
    return pkg_dict


def add_counts_to_results(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The counts of a page of search results, in one query: the copies the
    index keeps carry the counts of the day they were indexed."""
    ids = [r["id"] for r in results if r.get("id")]
    if not ids:
        return results
    by_record: dict[str, dict[str, int]] = {}
    for package_id, resource_id, count in (
            model.Session.query(DownloadCount.package_id, DownloadCount.resource_id,
                                DownloadCount.count)
            .filter(DownloadCount.package_id.in_(ids))):
        by_record.setdefault(package_id, {})[resource_id] = count
    for result in results:
        _set_counts(result, by_record.get(result.get("id"), {}))
    return results
