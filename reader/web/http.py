"""HTTP for feeds and pages: one well-behaved client with hard limits.

Everything Reader fetches goes through :class:`Fetcher` (httpx underneath). What it
guarantees, because a feed reader talks to servers it does not control:

- **Bounded in time.** Connect, read (between two chunks) and total timeouts; a server
  that never answers, or trickles bytes forever, ends as :class:`FetchTimeout`.
- **Bounded in memory.** Compressed bytes are counted against ``max_bytes`` as they arrive,
  and decompression (gzip, deflate, brotli) is done here, in 64 KiB steps, so that what a
  body expands to is counted against ``max_decoded`` before it is all in memory: a 1 GB
  gzip bomb stops at the cap, having held about one step of it. (httpx's own decoders
  expand a whole network chunk at once, which for a bomb is a thousandfold.)
- **Polite.** Conditional requests (ETag, Last-Modified) so an unchanged feed costs a 304;
  ``Retry-After`` of a 429 or 503 reported (:class:`RateLimited`) so the caller waits; a
  few connections per host at most; a User-Agent naming Reader and its version.
- **Honest about URLs.** Redirects are followed by hand, at most ``max_redirects``, a loop
  is refused by name, only http(s) targets; a chain of permanent redirects (301, 308)
  is reported as :attr:`Response.permanent_url` so the stored feed URL is updated.
- **Safe.** TLS is always verified (no switch to turn it off); proxies come from the
  environment (``HTTPS_PROXY``, ``NO_PROXY``, ...; httpx ``trust_env``).

httpx errors are mapped to the :class:`reader.errors.FetchError` family here and
nowhere else.
"""

from __future__ import annotations

import asyncio
import codecs
import email.utils
import re
import ssl
import zlib
from collections import Counter, OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol, Self
from urllib.parse import urljoin, urlsplit

import brotli
import httpx

from reader import __version__
from reader.errors import (
    ConnectFailed,
    FetchError,
    FetchTimeout,
    Gone,
    HTTPStatusError,
    RateLimited,
    RedirectError,
    ResponseTooLarge,
    TLSFailure,
)

PROJECT_URL = "https://github.com/reader-tui/reader"
USER_AGENT = f"Reader/{__version__} (+{PROJECT_URL})"
_MB = 1024 * 1024
_STEP = 64 * 1024  # bytes decompressed at a time
_DRAIN_BYTES = 64 * 1024  # an error or redirect body read only to keep its connection
_REDIRECTS = frozenset((301, 302, 303, 307, 308))
_PERMANENT = frozenset((301, 308))
_SINGLE_BYTE = frozenset(("latin-1", "iso8859-1", "iso8859-15", "cp1252", "ascii"))
_ACCEPT_FEED = (
    "application/atom+xml, application/rss+xml, application/feed+json, application/xml;q=0.9, "
    "text/xml;q=0.9, text/html;q=0.8, */*;q=0.5"
)


@dataclass(frozen=True, slots=True)
class Limits:
    """How long and how much: the defaults suit feeds and article pages."""

    connect: float = 10.0
    read: float = 20.0
    total: float = 60.0
    max_bytes: int = 16 * _MB  # on the wire
    max_decoded: int = 32 * _MB  # after decompression
    max_redirects: int = 8
    per_host: int = 2
    connections: int = 32


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True, slots=True)
class Validators:
    """What a previous response said about its version, for a conditional request.

    Each is the header's bytes as the server sent them, read as Latin-1 (one character a
    byte, so they go back byte for byte), or "" when they could not go back at all.
    """

    etag: str = ""
    last_modified: str = ""


# What a header value may hold to be sent (h11's field-value: visible ASCII, spaces, tabs
# and obs-text bytes). A stored validator outside it, a control character or, from a
# version before validators were kept as bytes, a character past U+00FF, ended every
# later update with an error: it is left out, and the request is an ordinary one.
_SENDABLE = re.compile(r"[\t\x20-\x7e\x80-\xff]*")


def _validator(headers: httpx.Headers, name: bytes) -> str:
    """The response's ``name`` header as :class:`Validators` keeps it."""
    for key, value in headers.raw:
        if key.lower() == name:
            text = value.decode("latin-1").strip()
            return text if _SENDABLE.fullmatch(text) else ""
    return ""


def _conditions(validators: Validators) -> dict[bytes, bytes]:
    """The conditional request's headers, as bytes: httpx would encode a str as ASCII and
    raise on an ETag's obs-text (``W/"caf\xe9"``)."""
    conditions = {}
    for name, value in ((b"If-None-Match", validators.etag), (b"If-Modified-Since", validators.last_modified)):
        if value and _SENDABLE.fullmatch(value):
            conditions[name] = value.encode("latin-1")
    return conditions


@dataclass(frozen=True, slots=True)
class Response:
    """A fetched resource: ``status`` is 200-299, or 304 (``content`` empty) when unchanged."""

    url: str  # where the content came from, after redirects
    status: int
    content: bytes = b""
    content_type: str = ""
    charset: str | None = None  # from the Content-Type header, when it names one
    validators: Validators = field(default_factory=Validators)
    permanent_url: str | None = None  # set when the URL asked for moved permanently

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    def body_for_import(self) -> bytes:
        """The body for reader.importers, with the header's charset applied.

        The importers sniff an encoding from the bytes (BOM, declaration, statistics);
        a charset in the Content-Type header comes first, as HTTP says, so the body is
        re-encoded as UTF-8 with a BOM when the header names a charset the bytes decode
        in. A header that is wrong is ignored: bytes it cannot decode, or valid non-ASCII
        UTF-8 under a single-byte label (the commonest mislabel; the reverse mistake
        does not produce valid UTF-8), go to the importers as they came.
        """
        if not self.charset or self.content.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
            return self.content
        try:
            codec = codecs.lookup(self.charset).name
            text = self.content.decode(codec)
        except (LookupError, UnicodeDecodeError):
            return self.content
        if codec in _SINGLE_BYTE and not self.content.isascii():
            try:
                self.content.decode("utf-8")
                return self.content
            except UnicodeDecodeError:
                pass
        return codecs.BOM_UTF8 + text.encode("utf-8")


@dataclass(slots=True)
class _Body:
    """The pieces of a body as they arrive: joined once at the end, so that a growing
    buffer is never copied into a bigger one (which, near the cap, doubled the memory)."""

    pieces: list[bytes] = field(default_factory=list)
    size: int = 0


class _Decoder(Protocol):
    def decode(self, data: bytes) -> Iterator[bytes]: ...

    def flush(self) -> Iterator[bytes]: ...


class _Identity:
    def decode(self, data: bytes) -> Iterator[bytes]:
        if data:
            yield data

    def flush(self) -> Iterator[bytes]:
        return iter(())


class _Zlib:
    """gzip (several members too) and deflate (zlib-wrapped, or raw as some servers send)."""

    def __init__(self, gzip: bool) -> None:
        self._gzip = gzip
        self._wbits = 16 + zlib.MAX_WBITS if gzip else zlib.MAX_WBITS
        self._inflater = zlib.decompressobj(self._wbits)
        self._started = False

    def decode(self, data: bytes) -> Iterator[bytes]:
        while data:
            if not self._gzip and not self._started:
                self._started = True
                if data[0] & 0x0F != 8:  # not a zlib header: raw deflate
                    self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
            try:
                out = self._inflater.decompress(data, _STEP)
            except zlib.error as error:
                raise FetchError(f"the response is not valid compressed data ({error})") from None
            if out:
                yield out
            data = self._inflater.unconsumed_tail
            if self._inflater.eof:
                rest = self._inflater.unused_data
                if not (self._gzip and rest.lstrip(b"\0")):
                    return
                self._inflater = zlib.decompressobj(self._wbits)
                data = rest

    def flush(self) -> Iterator[bytes]:
        out = self._inflater.flush(_STEP)
        if out:
            yield out


class _Brotli:
    def __init__(self) -> None:
        self._decompressor = brotli.Decompressor()

    def decode(self, data: bytes) -> Iterator[bytes]:
        try:
            out = self._decompressor.process(data, output_buffer_limit=_STEP)
            if out:
                yield out
            while not self._decompressor.can_accept_more_data():
                out = self._decompressor.process(b"", output_buffer_limit=_STEP)
                if not out:
                    break
                yield out
        except brotli.error as error:
            raise FetchError(f"the response is not valid brotli data ({error})") from None

    def flush(self) -> Iterator[bytes]:
        return iter(())


class _Chain:
    """Several Content-Encodings, applied in order; undone in reverse."""

    def __init__(self, decoders: list[_Decoder]) -> None:
        self._decoders = decoders

    def decode(self, data: bytes) -> Iterator[bytes]:
        return self._through(0, iter((data,)))

    def flush(self) -> Iterator[bytes]:
        for i, decoder in enumerate(self._decoders):
            yield from self._through(i + 1, decoder.flush())

    def _through(self, start: int, chunks: Iterator[bytes]) -> Iterator[bytes]:
        for decoder in self._decoders[start:]:
            chunks = _stream(decoder, chunks)
        return chunks


def _stream(decoder: _Decoder, chunks: Iterator[bytes]) -> Iterator[bytes]:
    for chunk in chunks:
        yield from decoder.decode(chunk)


def _decoder(content_encoding: str) -> _Decoder:
    codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
    decoders: list[_Decoder] = []
    for coding in reversed(codings):
        if coding in ("gzip", "x-gzip"):
            decoders.append(_Zlib(gzip=True))
        elif coding == "deflate":
            decoders.append(_Zlib(gzip=False))
        elif coding == "br":
            decoders.append(_Brotli())
        elif coding != "identity":
            raise FetchError(f"the server used a compression Reader cannot read ({coding[:20]})")
    if not decoders:
        return _Identity()
    return decoders[0] if len(decoders) == 1 else _Chain(decoders)


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """The delay a ``Retry-After`` header asks for (seconds, or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # str.isdigit is true of "²", which float refuses
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            name = value.strip().strip("\"'").lower()
            return name[:40] or None
    return None


def host_key(url: str) -> str:
    """What per-host limits count by: scheme, host and port."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.lower()}"


def check_url(url: str) -> str:
    """``url`` if it is an absolute http(s) URL with a host; FetchError otherwise (a URL
    that cannot be parsed at all, "http://[bad", included, and one holding a control or
    invisible character, which httpx refuses at every fetch and a terminal would act on)."""
    if not url.strip().isprintable():
        raise FetchError("not a valid URL (it holds a control or invisible character)", url)
    try:
        parts = urlsplit(url.strip())
        has_host = bool(parts.hostname)
        parts.port  # noqa: B018  # raises for a port past 65535, which the socket layer would crash on
    except ValueError:
        raise FetchError("not a valid URL", url) from None
    if parts.scheme.lower() not in ("http", "https") or not has_host:
        raise FetchError("not an http(s) URL", url)
    return url.strip()


def _redirect_target(url: str, location: str, asked: str) -> str:
    """Where a redirect from ``url`` leads; RedirectError when the ``Location`` (a server's
    data like any other) is no http(s) URL with a host: "http://[bad", "HTTP://@" and a
    port past 65535 crashed the whole update."""
    try:
        target = urljoin(url, location.strip())
    except ValueError:
        target = ""
    try:
        return check_url(target)
    except FetchError:
        if not target or target.partition(":")[0].lower() in ("http", "https"):
            raise RedirectError(f"redirect to a malformed URL ({location.strip()[:80]})", asked) from None
        raise RedirectError("redirect to something that is not an http(s) URL", asked) from None


class Fetcher:
    """An async HTTP client with Reader's limits. Use ``async with Fetcher() as f``.

    ``ssl_context`` is for tests that serve TLS with their own certificate authority; the
    certificate is verified against it like any other.
    """

    def __init__(
        self,
        limits: Limits = DEFAULT_LIMITS,
        *,
        ssl_context: ssl.SSLContext | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.limits = limits
        # One TLS context for every host's client: loading the certificate store is the
        # costly part of making a client (httpx makes one per client otherwise).
        self._ssl = ssl_context if ssl_context is not None else httpx.create_ssl_context(trust_env=True)
        self._transport = transport
        self._clients: OrderedDict[str, httpx.AsyncClient] = OrderedDict()  # least recently used first
        self._busy: Counter[str] = Counter()  # requests under way, by client
        self._closing: set[asyncio.Task[None]] = set()
        self._hosts: dict[str, asyncio.Semaphore] = {}

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        clients, self._clients = list(self._clients.values()), OrderedDict()
        for client in clients:
            await client.aclose()
        if self._closing:
            await asyncio.gather(*self._closing)

    def _client_key(self, host: str) -> str:
        return host if self._transport is None else ""

    def _client(self, key: str) -> httpx.AsyncClient:
        """The client of one host's connections (one pool a host, at most ``per_host`` in it).

        httpcore's pool looks at every connection it holds, and each one's socket, at each
        request and each response closed (quadratically in the connections): one pool for
        an update's 50 hosts, 32 connections, was most of the update's own CPU. A pool per
        host holds two. At most ``connections // per_host`` hosts keep their connections
        open; the least recently used idle one is closed for a new one. A transport given
        (tests) serves every host through one client.
        """
        client = self._clients.get(key)
        if client is not None:
            self._clients.move_to_end(key)
            return client
        client = httpx.AsyncClient(
            timeout=httpx.Timeout(self.limits.read, connect=self.limits.connect, pool=self.limits.total),
            limits=httpx.Limits(max_connections=self.limits.per_host, max_keepalive_connections=self.limits.per_host),
            follow_redirects=False,
            verify=self._ssl,
            trust_env=True,
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate, br"},
            transport=self._transport,
        )
        self._clients[key] = client
        keep = max(1, self.limits.connections // max(1, self.limits.per_host))
        idle = [other for other in self._clients if other != key and not self._busy[other]]
        for other in idle[: max(0, len(self._clients) - keep)]:
            closing = asyncio.get_running_loop().create_task(self._clients.pop(other).aclose())
            self._closing.add(closing)
            closing.add_done_callback(self._closing.discard)
        return client

    async def fetch(self, url: str, validators: Validators | None = None, *, accept: str = _ACCEPT_FEED) -> Response:
        """GET ``url``; raises a FetchError subclass naming what went wrong."""
        check_url(url)
        try:
            async with asyncio.timeout(self.limits.total):
                return await self._follow(url, validators or Validators(), accept)
        except TimeoutError:
            raise FetchTimeout(f"no complete answer within {self.limits.total:g} s", url) from None

    async def _follow(self, url: str, validators: Validators, accept: str) -> Response:
        asked = url
        seen = {url}
        permanent: str | None = None
        still_permanent = True
        for _ in range(self.limits.max_redirects + 1):
            status, headers, content = await self._get(url, validators, accept)
            if status in _REDIRECTS:
                location = headers.get("location", "")
                if not location:
                    raise RedirectError(f"redirect ({status}) without a Location", asked)
                target = _redirect_target(url, location, asked)
                target = target.split("#", 1)[0]
                if target in seen:
                    raise RedirectError(f"redirect loop ({url} -> {target})", asked)
                seen.add(target)
                if still_permanent and status in _PERMANENT:
                    permanent = target
                else:
                    still_permanent = False
                url = target
                continue
            return self._response(asked, url, status, headers, content, permanent)
        raise RedirectError(f"more than {self.limits.max_redirects} redirects", asked)

    def _response(
        self, asked: str, url: str, status: int, headers: httpx.Headers, content: bytes, permanent: str | None
    ) -> Response:
        found = Validators(_validator(headers, b"etag"), _validator(headers, b"last-modified"))
        if status == 304 or 200 <= status < 300:
            content_type = headers.get("content-type", "")
            return Response(
                url=url, status=status, content=content if status != 304 else b"",
                content_type=content_type.split(";")[0].strip().lower(), charset=_charset(content_type),
                validators=found, permanent_url=permanent,
            )
        if status == 410:
            raise Gone("410 Gone: the server says it was removed for good", asked, status)
        if status in (429, 503):
            delay = retry_after_seconds(headers.get("retry-after"))
            when = f"; retry after {delay:.0f} s" if delay is not None else ""
            raise RateLimited(f"{status} {_reason(status)}{when}", asked, status, delay)
        raise HTTPStatusError(f"{status} {_reason(status)}", asked, status)

    async def _get(self, url: str, validators: Validators, accept: str) -> tuple[int, httpx.Headers, bytes]:
        headers = {b"Accept": accept.encode("ascii"), **_conditions(validators)}
        host = host_key(url)
        semaphore = self._hosts.setdefault(host, asyncio.Semaphore(self.limits.per_host))
        key = self._client_key(host)
        async with semaphore:
            client = self._client(key)
            self._busy[key] += 1
            try:
                async with client.stream("GET", url, headers=headers) as response:
                    if not 200 <= response.status_code < 300:
                        await _drain(response)
                        return response.status_code, response.headers, b""
                    return response.status_code, response.headers, await self._body(response, url)
            except httpx.TimeoutException as error:
                raise FetchTimeout(_timeout_reason(error, self.limits), url) from None
            except httpx.ConnectError as error:
                raise _connect_error(error, url) from None
            except httpx.InvalidURL as error:  # a redirect to something httpx cannot parse
                raise RedirectError(f"not a usable URL: {url[:200]} ({_first_line(error)})", url) from None
            except httpx.HTTPError as error:  # protocol errors, a connection cut mid-body
                raise FetchError(f"the connection failed ({_first_line(error)})", url) from None
            finally:
                self._busy[key] -= 1

    async def _body(self, response: httpx.Response, url: str) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isascii() and declared.isdigit() and int(declared) > self.limits.max_bytes:
            raise ResponseTooLarge(f"the response is {int(declared) / _MB:.1f} MB, over the {self._cap()} limit", url)
        decoder = _decoder(response.headers.get("content-encoding", ""))
        body = _Body()
        received = 0
        async for chunk in response.aiter_raw():
            received += len(chunk)
            if received > self.limits.max_bytes:
                raise ResponseTooLarge(f"the response is over the {self._cap()} limit", url)
            for piece in decoder.decode(chunk):
                self._append(body, piece, url)
        for piece in decoder.flush():
            self._append(body, piece, url)
        return b"".join(body.pieces)

    def _append(self, body: _Body, piece: bytes, url: str) -> None:
        body.size += len(piece)
        if body.size > self.limits.max_decoded:
            raise ResponseTooLarge(
                f"the response decompresses to over {self.limits.max_decoded // _MB} MB (a compression bomb?)", url
            )
        body.pieces.append(piece)

    def _cap(self) -> str:
        return f"{self.limits.max_bytes // _MB} MB" if self.limits.max_bytes >= _MB else f"{self.limits.max_bytes} bytes"


def fetch(url: str, validators: Validators | None = None, limits: Limits = DEFAULT_LIMITS, **options: object) -> Response:
    """One fetch from synchronous code (``reader add URL``, a TUI worker thread)."""

    async def run() -> Response:
        async with Fetcher(limits, **options) as fetcher:  # type: ignore[arg-type]
            return await fetcher.fetch(url, validators)

    return asyncio.run(run())


async def _drain(response: httpx.Response) -> None:
    """Read a small unwanted body (a 304's, a redirect's) so the connection goes back to the
    pool: closing a response with its body unread closes the connection, and a new
    connection for every 304 was most of a warm update's time. A large body is left."""
    read = 0
    async for chunk in response.aiter_raw():
        read += len(chunk)
        if read > _DRAIN_BYTES:
            break


def _reason(status: int) -> str:
    try:
        from http import HTTPStatus

        return HTTPStatus(status).phrase
    except ValueError:
        return "error"


def _timeout_reason(error: httpx.TimeoutException, limits: Limits) -> str:
    if isinstance(error, httpx.ConnectTimeout):
        return f"no connection within {limits.connect:g} s"
    if isinstance(error, httpx.PoolTimeout):
        return f"no free connection within {limits.total:g} s"
    return f"the server sent nothing for {limits.read:g} s"


def _connect_error(error: httpx.ConnectError, url: str) -> FetchError:
    text = _first_line(error)
    causes: list[BaseException] = []
    cause: BaseException | None = error
    while cause is not None and len(causes) < 10:
        causes.append(cause)
        cause = cause.__cause__ or cause.__context__
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return ConnectFailed("the connection was refused", url)
    lowered = " ".join(_first_line(c) for c in causes).lower()
    if "certificate" in lowered or "ssl" in lowered or "tls" in lowered:
        return TLSFailure(f"the server's certificate could not be verified ({text})", url)
    if "name or service" in lowered or "nodename" in lowered or "getaddrinfo" in lowered or "resolution" in lowered:
        return ConnectFailed(f"the host name does not resolve ({text})", url)
    if "refused" in lowered:
        return ConnectFailed("the connection was refused", url)
    return ConnectFailed(f"could not connect ({text})", url)


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return (text[0] if text else type(error).__name__)[:160]
