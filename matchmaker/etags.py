"""Entity tags: a version tag (what If-Match protects) joined with a digest of the representation.

A listing's tag is ``"need-12-v3.<digest>"``: the digest differs between what its owner, another
firm and an anonymous visitor see, so caches never hand one viewer's body to another, while an
update with If-Match only compares the version part, whichever representation the tag came from.
"""

from __future__ import annotations

from matchmaker.errors import PreconditionFailed, PreconditionRequired

SEPARATOR = "."


def _opaque(tag: str) -> str:
    tag = tag.strip()
    if tag.startswith("W/"):
        tag = tag[2:]
    return tag.strip('"')


def representation(version_tag: str | None, digest: str) -> str:
    """The strong ETag of a body: the view's version tag (if any) with the body's digest."""
    if not version_tag:
        return f'"{digest}"'
    return f'"{_opaque(version_tag)}{SEPARATOR}{digest}"'


def version_of(tag: str) -> str:
    """The version tag inside an ETag sent back by a client (``"need-12-v3"``)."""
    return f'"{_opaque(tag).split(SEPARATOR, 1)[0]}"'


def if_match_ok(if_match: str | None, current: str) -> bool:
    """True when If-Match is absent, ``*``, or names the current version in any representation."""
    if if_match is None:
        return True
    tags = [part for part in if_match.split(",") if part.strip()]
    return any(tag.strip() == "*" or version_of(tag) == current for tag in tags)


def require_match(if_match: str | None, current: str) -> None:
    """428 when no If-Match came (``"*"`` says "whatever the version"), 412 when it names an old one."""
    if if_match is None or not if_match.strip():
        raise PreconditionRequired()
    if not if_match_ok(if_match, current):
        raise PreconditionFailed()
