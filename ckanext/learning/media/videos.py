"""Links to video sites: which video a link names and the player address
that plays it.  Nothing here fetches anything: the page shows a placeholder
and the visitor's click loads the player (``assets/video-link.js``)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

__all__ = ["VideoLink", "video_link", "PLAYER_HOSTS"]

#: The player host of each site: YouTube's without cookies until playing,
#: Vimeo's with "do not track".  Pages that show one allow it as a frame
#: source, and only that one (security/headers.py).
PLAYER_HOSTS = {"youtube": "www.youtube-nocookie.com", "vimeo": "player.vimeo.com"}

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^[0-9]{1,12}$")


@dataclass(frozen=True)
class VideoLink:
    site: str        # "youtube" or "vimeo"
    site_name: str   # "YouTube"
    video_id: str
    url: str         # the page on the video site, as given

    @property
    def player_host(self) -> str:
        return PLAYER_HOSTS[self.site]

    @property
    def player_url(self) -> str:
        if self.site == "youtube":
            return f"https://{self.player_host}/embed/{self.video_id}?autoplay=1&rel=0"
        return f"https://{self.player_host}/video/{self.video_id}?autoplay=1&dnt=1"


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    for prefix in ("www.", "m."):
        if host.startswith(prefix):
            host = host[len(prefix):]
    return host


def video_link(url: str | None) -> VideoLink | None:
    """The video a link to YouTube or Vimeo names, or None (another site, a
    channel, a search page, an address that names no one video)."""
    if not url or not isinstance(url, str):
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    host = _host(url)
    path = [p for p in parts.path.split("/") if p]
    candidate = ""
    if host in ("youtube.com", "youtube-nocookie.com"):
        if path[:1] == ["watch"]:
            candidate = (parse_qs(parts.query).get("v") or [""])[0]
        elif len(path) >= 2 and path[0] in ("embed", "shorts", "live", "v"):
            candidate = path[1]
        if _YOUTUBE_ID.match(candidate):
            return VideoLink("youtube", "YouTube", candidate, url)
    elif host == "youtu.be":
        candidate = path[0] if path else ""
        if _YOUTUBE_ID.match(candidate):
            return VideoLink("youtube", "YouTube", candidate, url)
    elif host in ("vimeo.com", "player.vimeo.com"):
        candidate = path[-1] if path else ""
        if _VIMEO_ID.match(candidate):
            return VideoLink("vimeo", "Vimeo", candidate, url)
    return None
