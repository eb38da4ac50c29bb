"""The per-worker prefix structure behind ``learning_suggest``.

Every suggestible text (a record's titles, a tag, a theme's or an
organisation's titles) is normalised (``khmer.normalize``, case-folded,
spaces collapsed) and keyed at each place a word may start: after a space or
punctuation for Latin text, and at every Khmer character cluster
(``khmer.cluster_starts``, the clusters the search counts: Khmer has no
spaces between words, so the first two characters of any word are the
first two of a cluster).  Keys are the UTF-8 bytes of the first
:data:`KEY_LENGTH` characters, kept sorted in one numpy array (beside their
entry numbers, another): a prefix is one ``searchsorted`` range, and a key
costs its bytes, not a Python string's ~100.

Records come from the search index table (``learning_search_index``), read
once (in a background thread past :data:`INLINE_BUILD_ROWS`: until it is
done the worker suggests themes, organisations and no records), then kept
current at each call from the rows (and tombstones) whose document number
``seq`` is newer than the last seen.  The structure is only
a candidate list: the records it proposes are checked against the index's
state and permission labels in PostgreSQL before any title is returned, so a
record turned private, draft or deleted a moment ago is never suggested.
"""
from __future__ import annotations

import json
import logging
import re
import threading
import time
import unicodedata
from dataclasses import dataclass, field

import ckan.model as model
import numpy as np
import sqlalchemy as sa

from ckanext.learning.khmer import cluster_starts, normalize
from ckanext.learning.search.long_reads import long_read, return_freed_memory
from ckanext.learning.search.model import (
    EPOCH_TABLE,
    INDEX_TABLE,
    REMOVED_TABLE,
    estimated_rows,
)

log = logging.getLogger(__name__)

#: Characters of a key (longer prefixes are checked on the full text).
KEY_LENGTH = 12
#: Bytes a key holds: KEY_LENGTH Khmer characters are 3 bytes each in UTF-8,
#: and one more, so that a full key's upper bound (+ 0xFF) still fits.
_KEY_BYTES = 3 * KEY_LENGTH + 1
#: Keys sorted in at a time while building (bounds the build's peak memory).
_SETTLE_EVERY = 200_000
#: Indexes up to this many rows are read in the first request (~2 s); larger
#: ones in a background thread.
INLINE_BUILD_ROWS = 20_000
_WORD_START = re.compile(r"(?:^|(?<=[\s\-_/.,:;()\"'«»\u17d4\u17d5]))\S")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """The one form both the texts and the typed prefix are compared in."""
    text = normalize(unicodedata.normalize("NFKC", text or ""))
    return _SPACES.sub(" ", text).strip().casefold()


def starts(folded: str) -> list[int]:
    """Offsets where a typed prefix may match ``folded``."""
    out = {m.start() for m in _WORD_START.finditer(folded)}
    out.update(cluster_starts(folded))  # the clusters the search counts too
    return sorted(out)


def _key(text: str) -> bytes:
    return text[:KEY_LENGTH].encode("utf-8")


def folded_titles(entry: Entry) -> tuple[str, ...]:
    """The entry's titles as prefixes are compared with them (made again
    when asked: keeping them would double the entries' memory)."""
    return tuple(dict.fromkeys(fold(t) for t in entry.titles.values()))


@dataclass(slots=True)
class Entry:
    kind: str  # "dataset" | "tag" | "theme" | "organization"
    name: str
    titles: dict[str, str]  # lang -> text ("" for a language-less text)
    seq: int | None = None
    public: bool = True
    alive: bool = True


@dataclass
class _Keys:
    """Sorted keys (UTF-8 bytes: their order is the code points') and the
    entry number of each, as two numpy arrays."""

    keys: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=f"S{_KEY_BYTES}"))
    entries: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int32))
    pending: list[tuple[bytes, int]] = field(default_factory=list)

    def add(self, entry_no: int, folded_texts: tuple[str, ...]) -> None:
        for text in folded_texts:
            for i in starts(text):
                self.pending.append((_key(text[i:]), entry_no))
        if len(self.pending) >= _SETTLE_EVERY:
            self.settle()

    def settle(self) -> None:
        """Sort the pending keys in (one copy of the arrays)."""
        if not self.pending:
            return
        self.pending.sort()
        keys = np.array([k for k, _ in self.pending], dtype=self.keys.dtype)
        entries = np.array([n for _, n in self.pending], dtype=np.int32)
        self.pending = []
        at = np.searchsorted(self.keys, keys, side="right")
        self.keys = np.insert(self.keys, at, keys)
        self.entries = np.insert(self.entries, at, entries)

    def range(self, prefix: str) -> tuple[int, int]:
        key = _key(prefix)
        return (int(np.searchsorted(self.keys, key, side="left")),
                int(np.searchsorted(self.keys, key + b"\xff", side="left")))


def _text(value) -> str:
    """The index keeps some values as one-item lists."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), "")
    return value.strip() if isinstance(value, str) else ""


def _titles(fields: dict, base: str) -> dict[str, str]:
    out = {}
    for lang in ("en", "km"):
        value = _text(fields.get(f"{base}_translated_{lang}"))
        if value:
            out[lang] = value
    if not out and _text(fields.get(base)):
        out[""] = _text(fields.get(base))
    return out


#: Changes whenever a theme or organisation does.
_GROUPS_STAMP = """SELECT md5(string_agg(g.id || g.state || coalesce(g.title, '')
    || g.name || coalesce(g.extras::text, ''), '|' ORDER BY g.id)) FROM "group" g"""


class SuggestIndex:
    """One worker's suggestion keys (see the module docstring)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._builder: threading.Thread | None = None
        self._reset()

    def _reset(self) -> None:
        self.epoch: str | None = None
        self.last_seq = 0
        self.last_removed = 0
        self.groups_stamp: str | None = None
        self.entries: list[Entry] = []
        self.by_index_id: dict[str, int] = {}
        self.by_seq: dict[int, int] = {}
        self.tags: dict[str, int] = {}
        self.records = _Keys()
        self.others = _Keys()

    # -- keeping current ------------------------------------------------------
    def refresh(self, session) -> None:
        """Apply what changed since the last call; a first read of a large
        index starts in the background (nothing waits for it)."""
        if self._builder is not None:
            if self._builder.is_alive():
                self._read_groups_if_changed(session)
                return
            self._builder = None
        if self.epoch is None and self.last_seq == 0:
            if estimated_rows(session) > INLINE_BUILD_ROWS:
                self._build_in_background()
                self._read_groups_if_changed(session)
                return
        self._refresh(session)

    def _build_in_background(self) -> None:
        def run() -> None:
            began = time.perf_counter()
            fresh = SuggestIndex()
            try:
                with long_read(), model.meta.engine.connect() as conn:
                    fresh._refresh(conn)
            except Exception:  # the next call tries again
                log.exception("Building the suggestions failed")
                return
            with self.lock:
                for name, value in vars(fresh).items():
                    if name not in ("lock", "_builder"):
                        setattr(self, name, value)
            log.info("Suggestions built: %d entries, %d keys in %.1f s",
                     len(self.entries), len(self.records.keys) + len(self.others.keys),
                     time.perf_counter() - began)

        self._builder = threading.Thread(target=run, name="learning-suggest-build",
                                         daemon=True)
        self._builder.start()

    def _read_groups_if_changed(self, session) -> None:
        """Themes and organisations (a few hundred rows), while the records'
        keys are being built."""
        stamp = session.execute(sa.text(_GROUPS_STAMP)).scalar()
        with self.lock:
            if stamp != self.groups_stamp:
                self._read_groups(session)
                self.groups_stamp = stamp
                self.others.settle()

    def _refresh(self, session) -> None:
        head = session.execute(sa.text(f"""
            SELECT (SELECT epoch FROM {EPOCH_TABLE} WHERE id = 1) AS epoch,
                   (SELECT max(seq) FROM {INDEX_TABLE}) AS seq,
                   (SELECT max(seq) FROM {REMOVED_TABLE}) AS removed,
                   ({_GROUPS_STAMP}) AS groups""")).one()
        with self.lock:
            if head.epoch != self.epoch or (head.seq or 0) < self.last_seq:
                self._reset()
                self.epoch = head.epoch
            if (head.removed or 0) > self.last_removed:
                for seq, in session.execute(sa.text(
                        f"SELECT seq FROM {REMOVED_TABLE} WHERE seq > :s"),
                        {"s": self.last_removed}):
                    no = self.by_seq.pop(seq, None)
                    if no is not None:
                        self.entries[no].alive = False
                self.last_removed = head.removed
            read = 0
            if (head.seq or 0) > self.last_seq:
                read = self._read_records(session)
                self.last_seq = head.seq
            if head.groups != self.groups_stamp:
                self._read_groups(session)
                self.groups_stamp = head.groups
            self.records.settle()
            self.others.settle()
        if read >= _SETTLE_EVERY // 20:
            return_freed_memory()  # the build's transient lists

    def _read_records(self, session) -> int:
        """Entries for the index rows newer than the last seen; how many."""
        rows = session.execute(sa.text(f"""
            SELECT seq, index_id, state, permission_labels,
                   jsonb_build_object(
                       'name', fields->'name', 'title', fields->'title',
                       'title_translated_en', fields->'title_translated_en',
                       'title_translated_km', fields->'title_translated_km',
                       'tags', fields->'tags') AS f
            FROM {INDEX_TABLE} WHERE seq > :s ORDER BY seq""").execution_options(
                yield_per=2000), {"s": self.last_seq})
        read = 0
        for seq, index_id, state, labels, f in rows:
            read += 1
            old = self.by_index_id.get(index_id)
            if old is not None:
                self.entries[old].alive = False
                self.by_seq.pop(self.entries[old].seq, None)
            titles = _titles(f, "title")
            no = self._add(Entry("dataset", _text(f.get("name")), titles,
                                 seq=seq, public="public" in (labels or [])),
                           self.records)
            self.by_index_id[index_id] = no
            self.by_seq[seq] = no
            if state == "active" and "public" in (labels or []):
                tags = f.get("tags") or []
                for tag in (tags if isinstance(tags, list) else [tags]):
                    if isinstance(tag, str) and tag.strip() and tag not in self.tags:
                        self.tags[tag] = self._add(
                            Entry("tag", tag, {"": tag}), self.others)
        return read

    def _read_groups(self, session) -> None:
        for entry in self.entries:
            if entry.kind in ("theme", "organization"):
                entry.alive = False
        rows = session.execute(sa.text("""
            SELECT g.name, g.title, g.is_organization, g.extras->>'title_translated'
            FROM "group" g WHERE g.state = 'active'"""))
        for name, title, is_org, translated in rows:
            titles = {}
            try:
                value = json.loads(translated) if translated else {}
            except ValueError:
                value = {}
            if isinstance(value, dict):
                titles = {k: v for k, v in value.items()
                          if k in ("en", "km") and isinstance(v, str) and v.strip()}
            if not titles:
                titles = {"": title or name}
            self._add(Entry("organization" if is_org else "theme", name, titles),
                      self.others)

    def _add(self, entry: Entry, keys: _Keys) -> int:
        self.entries.append(entry)
        no = len(self.entries) - 1
        keys.add(no, folded_titles(entry))
        return no

    # -- asking ---------------------------------------------------------------
    def building(self) -> bool:
        return self._builder is not None and self._builder.is_alive()

    def candidates(self, prefix: str, keys: str, want: int,
                   public_only: bool) -> list[Entry]:
        """Live entries whose text has a word starting with ``prefix``
        (folded), in key order, at most ``want``."""
        index = self.records if keys == "records" else self.others
        out: list[Entry] = []
        seen: set[int] = set()
        with self.lock:
            lo, hi = index.range(prefix)
            long_prefix = len(prefix.encode("utf-8")) > len(_key(prefix))
            for at in range(lo, hi):
                no = int(index.entries[at])
                if no in seen:
                    continue
                entry = self.entries[no]
                if not entry.alive or (public_only and not entry.public):
                    continue
                if long_prefix and not any(
                        text[i:].startswith(prefix)
                        for text in folded_titles(entry) for i in starts(text)):
                    continue
                seen.add(no)
                out.append(entry)
                if len(out) >= want:
                    break
        return out

    def memory_items(self) -> dict[str, int]:
        return {"entries": len(self.entries),
                "keys": len(self.records.keys) + len(self.others.keys)}


_index = SuggestIndex()


def suggest_index() -> SuggestIndex:
    return _index


def visible_seqs(session, seqs: list[int], labels: list[str]) -> set[int]:
    """Those of ``seqs`` that are active, current and readable with ``labels``."""
    if not seqs:
        return set()
    return set(session.execute(sa.text(f"""
        SELECT seq FROM {INDEX_TABLE}
        WHERE seq = ANY(:seqs) AND state = 'active'
          AND permission_labels && CAST(:labels AS text[])"""),
        {"seqs": seqs, "labels": labels}).scalars())
