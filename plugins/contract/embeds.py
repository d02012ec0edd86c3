"""Videos from YouTube and Facebook, shown as a click-to-load poster.

A page must not ask another server for anything before the reader chooses
to: an embedded player (or even its thumbnail) tells the platform who reads
what. So an embed becomes a poster drawn by the site, a plain link to the
video (which works without JavaScript), and the address of the player that
``theme/static/js/video.js`` puts in an ``<iframe>`` when the reader clicks.
The same poster serves an ``<iframe>`` pasted in a body and a ``Video:`` URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from urllib.parse import parse_qs, quote, urlsplit

# The players a page may frame once the reader clicks; PORTAL_SECURITY's video_hosts allows exactly these.
YOUTUBE_PLAYER = "https://www.youtube-nocookie.com"
FACEBOOK_PLAYER = "https://www.facebook.com"
PLAYERS = (YOUTUBE_PLAYER, FACEBOOK_PLAYER)
_YOUTUBE_HOSTS = frozenset({"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com",
                            "www.youtube-nocookie.com", "youtu.be", "www.youtu.be"})
_FACEBOOK_HOSTS = frozenset({"facebook.com", "www.facebook.com", "m.facebook.com", "web.facebook.com",
                             "fb.watch", "www.fb.watch"})
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
_SECONDS = re.compile(r"^(\d{1,6})s?$")


@dataclass(frozen=True)
class Embed:
    """A video on a platform: where its player is and where a reader can watch it."""

    provider: str
    player: str
    watch: str

    @property
    def label(self) -> str:
        return f"Xem video trên {self.provider}"

    def html(self, poster: str = "") -> str:
        """The poster: ``poster`` (the cover photo, its alt text :attr:`label`) or a drawn one, a link, a play button."""
        drawn = "" if poster else '<span class="video-embed-drawn" aria-hidden="true"></span>'
        # With a photo, its alt text names the link; the label on it is only seen.
        hidden = ' aria-hidden="true"' if poster else ""
        return (f'<span class="video-embed" data-player="{escape(self.player)}" '
                f'data-title="{escape(self.label)}">'
                f'<a class="video-embed-link" href="{escape(self.watch)}" rel="noopener noreferrer">'
                f'{poster}{drawn}<span class="video-embed-label"{hidden}>{escape(self.label)}</span></a>'
                f'<button type="button" class="video-embed-play" hidden '
                f'aria-label="Phát video trên {escape(self.provider)} ngay trên trang">'
                f'<span aria-hidden="true">▶</span></button></span>')


def recognise(url: str) -> Embed | None:
    """The embed for a YouTube or Facebook video address (player, share or watch link), else None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https", ""):
        return None
    host = (parts.hostname or "").lower()
    if host in _YOUTUBE_HOSTS:
        return _youtube(host, parts.path, parse_qs(parts.query))
    if host in _FACEBOOK_HOSTS:
        return _facebook(host, parts, parse_qs(parts.query))
    return None


def host_of(url: str) -> str:
    """The server an address points to, for messages (``ten-mien.vn``), or the address itself."""
    try:
        return urlsplit(url.strip()).hostname or url.strip()
    except ValueError:
        return url.strip()


def _youtube(host: str, path: str, query: dict[str, list[str]]) -> Embed | None:
    steps = [s for s in path.split("/") if s]
    if host.endswith("youtu.be"):
        video = steps[0] if steps else ""
    elif steps and steps[0] in ("embed", "shorts", "live", "v") and len(steps) > 1:
        video = steps[1]
    elif steps == ["watch"]:
        video = query.get("v", [""])[0]
    else:
        return None
    if not _YOUTUBE_ID.match(video):
        return None
    start = _SECONDS.match((query.get("start") or query.get("t") or [""])[0])
    at = f"&start={start.group(1)}" if start else ""
    watch_at = f"&t={start.group(1)}s" if start else ""
    return Embed("YouTube", f"{YOUTUBE_PLAYER}/embed/{video}?autoplay=1{at}",
                 f"https://www.youtube.com/watch?v={video}{watch_at}")


def _facebook(host: str, parts, query: dict[str, list[str]]) -> Embed | None:
    if host.endswith("fb.watch"):
        if not parts.path.strip("/"):
            return None
        video = f"https://fb.watch/{parts.path.strip('/')}/"
    elif parts.path.rstrip("/") == "/plugins/video.php":
        video = query.get("href", [""])[0]
        inner = recognise(video) if video else None
        if inner is None or inner.provider != "Facebook":
            return None
        return inner
    elif "/videos/" in parts.path or parts.path.rstrip("/") in ("/watch", "/reel") or parts.path.startswith("/reel/"):
        keep = f"?v={quote(query['v'][0], safe='')}" if "v" in query else ""
        video = f"https://www.facebook.com{parts.path}{keep}"
    else:
        return None
    return Embed("Facebook", f"{FACEBOOK_PLAYER}/plugins/video.php?href={quote(video, safe='')}&show_text=false&autoplay=1",
                 video)
