"""reader.web.http against real servers on 127.0.0.1: statuses, redirects, limits, TLS."""

from __future__ import annotations

import asyncio
import gzip
import http.server
import ssl
import subprocess
import sys
import threading
import time
import zlib
from datetime import UTC

import brotli
import httpx
import pytest
import trustme
from fuzzing import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from werkzeug import Request
from werkzeug import Response as WResponse

from reader.errors import (
    FetchError,
    FetchTimeout,
    Gone,
    HTTPStatusError,
    RateLimited,
    RedirectError,
    ResponseTooLarge,
    TLSFailure,
)
from reader.web.http import (
    USER_AGENT,
    Fetcher,
    Limits,
    Validators,
    fetch,
    retry_after_seconds,
)

FEED = b"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title></channel></rss>"
FAST = Limits(connect=2, read=0.5, total=3)


def get(url: str, validators: Validators | None = None, limits: Limits = FAST, **options):
    return fetch(url, validators, limits, **options)


def test_plain_get_sends_user_agent_and_reads_validators(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed.xml", headers={"User-Agent": USER_AGENT}).respond_with_data(
        FEED, content_type="application/rss+xml; charset=ISO-8859-1", headers={"ETag": '"v1"', "Last-Modified": "Tue, 01 Dec 2026 10:00:00 GMT"}
    )
    response = get(httpserver.url_for("/feed.xml"))
    assert response.status == 200 and response.content == FEED
    assert response.content_type == "application/rss+xml" and response.charset == "iso-8859-1"
    assert response.validators == Validators('"v1"', "Tue, 01 Dec 2026 10:00:00 GMT")
    assert response.permanent_url is None
    assert USER_AGENT.startswith("Reader/0.")


def test_conditional_request_gets_304(httpserver: HTTPServer) -> None:
    httpserver.expect_request(
        "/feed.xml", headers={"If-None-Match": '"v1"', "If-Modified-Since": "Tue, 01 Dec 2026 10:00:00 GMT"}
    ).respond_with_data("", status=304)
    response = get(httpserver.url_for("/feed.xml"), Validators('"v1"', "Tue, 01 Dec 2026 10:00:00 GMT"))
    assert response.not_modified and response.content == b""


def test_missing_charset_is_none(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/feed.xml").respond_with_data(FEED, content_type="text/xml")
    assert get(httpserver.url_for("/feed.xml")).charset is None


@pytest.mark.parametrize("status", [301, 308])
def test_permanent_redirect_is_reported(httpserver: HTTPServer, status: int) -> None:
    httpserver.expect_request("/old").respond_with_data("", status=status, headers={"Location": "/new"})
    httpserver.expect_request("/new").respond_with_data(FEED)
    response = get(httpserver.url_for("/old"))
    assert response.content == FEED
    assert response.url == response.permanent_url == httpserver.url_for("/new")


def test_temporary_redirect_keeps_the_url(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/old").respond_with_data("", status=302, headers={"Location": "/tmp"})
    httpserver.expect_request("/tmp").respond_with_data(FEED)
    response = get(httpserver.url_for("/old"))
    assert response.url == httpserver.url_for("/tmp") and response.permanent_url is None


def test_permanent_then_temporary_updates_to_the_permanent_target(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/a").respond_with_data("", status=301, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/c"})
    httpserver.expect_request("/c").respond_with_data(FEED)
    assert get(httpserver.url_for("/a")).permanent_url == httpserver.url_for("/b")


def test_redirect_loop_is_named(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data("", status=301, headers={"Location": "/a"})
    with pytest.raises(RedirectError, match="loop"):
        get(httpserver.url_for("/a"))


def test_redirect_cap(httpserver: HTTPServer) -> None:
    for i in range(12):
        httpserver.expect_request(f"/{i}").respond_with_data("", status=307, headers={"Location": f"/{i + 1}"})
    with pytest.raises(RedirectError, match="more than 8 redirects"):
        get(httpserver.url_for("/0"))


def test_redirect_to_file_url_refused(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/a").respond_with_data("", status=302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(RedirectError, match="not an http"):
        get(httpserver.url_for("/a"))


@pytest.mark.parametrize("location", ["http://[bad/x", "http://127.0.0.1:99999999/feed.xml", "HTTP://@"])
def test_redirect_to_a_malformed_url_is_one_line(location: str) -> None:
    """A Location is a server's data like a body: "http://[bad" crashed the whole update.
    (A mock transport: Werkzeug will not send such a header.)"""

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(301, headers={"Location": location}, stream=_Stream(b""))

    async def run() -> None:
        async with Fetcher(FAST, transport=httpx.MockTransport(answer)) as fetcher:
            await fetcher.fetch("http://127.0.0.1:9/feed.xml")

    with pytest.raises(RedirectError, match=r"redirect to a malformed URL \("):
        asyncio.run(run())


@pytest.mark.parametrize(
    "url", ["http://[bad/x", "https://[::1/feed", "http://h:99999999999999999999/", "http://h/\x1b[31m", "http://h/a\nb", "http://h/\u202e"]
)
def test_a_url_that_cannot_be_parsed_is_refused(url: str) -> None:
    with pytest.raises(FetchError, match="not a valid URL|not an http"):
        get(url)


def _recording(answer_headers: list[tuple[bytes, bytes]], seen: list[httpx.Headers]):
    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers)
        return httpx.Response(200, headers=[(b"Content-Type", b"application/rss+xml"), *answer_headers], stream=_Stream(FEED))

    return answer


def _fetch_with(answer, validators: Validators | None = None):
    async def run():
        async with Fetcher(FAST, transport=httpx.MockTransport(answer)) as fetcher:
            return await fetcher.fetch("http://127.0.0.1:9/feed.xml", validators)

    return asyncio.run(run())


def test_validators_go_back_byte_for_byte() -> None:
    """An ETag may hold obs-text bytes (RFC 9110): httpx would encode a str as ASCII, and
    the update after the one that stored such an ETag ended in UnicodeEncodeError."""
    seen: list[httpx.Headers] = []
    answer = _recording([(b"ETag", b'W/"caf\xe9"'), (b"Last-Modified", b"\xff\xfe not a date")], seen)
    first = _fetch_with(answer)
    _fetch_with(answer, first.validators)
    sent = dict(seen[1].raw)
    assert sent[b"If-None-Match"] == b'W/"caf\xe9"' and sent[b"If-Modified-Since"] == b"\xff\xfe not a date"


def test_a_validator_that_cannot_be_sent_back_is_not_kept() -> None:
    seen: list[httpx.Headers] = []
    first = _fetch_with(_recording([(b"ETag", b'"a\x01b"')], seen))
    assert first.validators.etag == ""


def test_a_stored_validator_that_cannot_be_sent_is_left_out() -> None:
    """What an earlier version stored (httpx's decoding, a character past U+00FF) or a
    control character: the request goes out without it, not with an error."""
    seen: list[httpx.Headers] = []
    _fetch_with(_recording([], seen), Validators(etag='"\u20ac"', last_modified="Tue\x00"))
    assert b"If-None-Match" not in dict(seen[0].raw) and b"If-Modified-Since" not in dict(seen[0].raw)


def test_404_and_410(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/missing").respond_with_data("no", status=404)
    httpserver.expect_request("/gone").respond_with_data("bye", status=410)
    with pytest.raises(HTTPStatusError, match="404 Not Found") as missing:
        get(httpserver.url_for("/missing"))
    assert missing.value.status == 404 and not isinstance(missing.value, Gone)
    with pytest.raises(Gone, match="410"):
        get(httpserver.url_for("/gone"))


@pytest.mark.parametrize(("status", "header", "seconds"), [(429, "120", 120.0), (503, "7", 7.0), (503, None, None)])
def test_retry_after(httpserver: HTTPServer, status: int, header: str | None, seconds: float | None) -> None:
    headers = {"Retry-After": header} if header else {}
    httpserver.expect_request("/busy").respond_with_data("slow down", status=status, headers=headers)
    with pytest.raises(RateLimited) as error:
        get(httpserver.url_for("/busy"))
    assert error.value.status == status and error.value.retry_after == seconds  # not a timing


@pytest.mark.parametrize("value", ["\u00b2", "\u0661\u0662", "12a"])
def test_retry_after_is_ascii_digits_or_a_date(value: str) -> None:
    """A Latin-1 byte \\xb2 arrives as "²", which str.isdigit accepts and float refuses:
    the fetch crashed instead of waiting the default time."""
    assert retry_after_seconds(value) is None  # not a timing


def test_retry_after_http_date() -> None:
    from datetime import datetime

    now = datetime(2026, 12, 1, 10, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("Tue, 01 Dec 2026 10:01:00 GMT", now) == 60.0  # not a timing
    assert retry_after_seconds("soon", now) is None  # not a timing


def test_server_that_never_answers(silent_server) -> None:
    with pytest.raises(FetchTimeout, match=r"sent nothing for 0\.5 s"):
        get(silent_server.url)


def test_server_that_sends_forever_hits_the_size_cap(endless_server) -> None:
    with pytest.raises(ResponseTooLarge):
        get(endless_server.url, limits=Limits(connect=2, read=2, total=30, max_bytes=2 * 1024 * 1024))


def test_server_that_trickles_forever_hits_the_total_timeout(trickle_server) -> None:
    with pytest.raises(FetchTimeout, match="within 1 s"):
        get(trickle_server.url, limits=Limits(connect=2, read=2, total=1))


def test_refused_connection() -> None:
    import socket

    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    with pytest.raises(FetchError, match="refused"):
        get(f"http://127.0.0.1:{port}/feed.xml")


def test_not_http_is_refused() -> None:
    with pytest.raises(FetchError, match="not an http"):
        get("file:///etc/passwd")


def test_declared_length_over_cap(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/big").respond_with_data(b"x" * 5000)
    with pytest.raises(ResponseTooLarge, match="over the 4000 bytes limit"):
        get(httpserver.url_for("/big"), limits=Limits(max_bytes=4000))


@pytest.mark.parametrize("coding", ["gzip", "deflate", "raw-deflate", "br", "gzip, br"])
def test_compressed_bodies_are_decoded(httpserver: HTTPServer, coding: str) -> None:
    body = FEED * 50
    if coding == "gzip":
        data = gzip.compress(body)
    elif coding == "deflate":
        data = zlib.compress(body)
    elif coding == "raw-deflate":
        raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        data = raw.compress(body) + raw.flush()
        coding = "deflate"
    elif coding == "br":
        data = brotli.compress(body)
    else:
        data = brotli.compress(gzip.compress(body))
    httpserver.expect_request("/feed.xml").respond_with_data(data, headers={"Content-Encoding": coding})
    assert get(httpserver.url_for("/feed.xml")).content == body


@pytest.mark.parametrize("coding", ["gzip", "deflate", "br"])
def test_small_bombs_stop_at_the_decoded_cap(httpserver: HTTPServer, coding: str) -> None:
    zeros = b"\0" * (20 * 1024 * 1024)
    data = {"gzip": gzip.compress, "deflate": zlib.compress, "br": lambda b: brotli.compress(b, quality=1)}[coding](zeros)
    httpserver.expect_request("/bomb").respond_with_data(data, headers={"Content-Encoding": coding})
    with pytest.raises(ResponseTooLarge, match="compression bomb"):
        get(httpserver.url_for("/bomb"), limits=Limits(max_decoded=1024 * 1024))


def test_unknown_encoding_and_garbage(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/zstd").respond_with_data(b"\x28\xb5\x2f\xfd", headers={"Content-Encoding": "zstd"})
    httpserver.expect_request("/bad").respond_with_data(b"not gzip at all", headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="cannot read \\(zstd\\)"):
        get(httpserver.url_for("/zstd"))
    with pytest.raises(FetchError, match="not valid compressed data"):
        get(httpserver.url_for("/bad"))


# VmHWM, not getrusage: Linux carries ru_maxrss over an exec, so the child would report
# the test process's own peak.
_BOMB_CLIENT = """
import sys
from reader.errors import ResponseTooLarge
from reader.web.http import fetch
try:
    fetch(sys.argv[1])
except ResponseTooLarge as error:
    print("refused:", error)
status = open("/proc/self/status").read()
print("peak_mb", int(status.split("VmHWM:")[1].split()[0]) // 1024)
"""


def test_one_gigabyte_gzip_bomb_stays_under_100_mb(httpserver: HTTPServer, tmp_path) -> None:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = b"\0" * (16 * 1024 * 1024)
    bomb = b"".join(compressor.compress(block) for _ in range(64)) + compressor.flush()  # 1 GiB of zeros
    assert len(bomb) < 2 * 1024 * 1024
    httpserver.expect_request("/bomb.xml").respond_with_data(bomb, headers={"Content-Encoding": "gzip"})
    result = subprocess.run(
        [sys.executable, "-c", _BOMB_CLIENT, httpserver.url_for("/bomb.xml")],
        capture_output=True, text=True, timeout=120, check=True,
    )
    assert "refused: the response decompresses to over 32 MB" in result.stdout
    peak = int(result.stdout.split("peak_mb")[1])
    assert peak < 100, result.stdout


@pytest.fixture
def tls_server():
    authority = trustme.CA()
    certificate = authority.issue_cert("127.0.0.1")
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    certificate.configure_cert(server_context)
    server = HTTPServer(host="127.0.0.1", port=0, ssl_context=server_context)
    server.start()
    server.expect_request("/feed.xml").respond_with_data(FEED)
    yield server, authority
    server.clear()
    server.stop()


def test_tls_with_a_trusted_authority(tls_server) -> None:
    server, authority = tls_server
    client_context = ssl.create_default_context()
    authority.configure_trust(client_context)
    assert get(server.url_for("/feed.xml"), ssl_context=client_context).content == FEED


def test_tls_with_an_unknown_authority_is_refused(tls_server) -> None:
    server, _ = tls_server
    with pytest.raises(TLSFailure, match="certificate"):
        get(server.url_for("/feed.xml"))


def test_per_host_limit() -> None:
    """Six fetches to one host: never more than two at once (the server counts)."""
    httpserver = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    httpserver.start()

    active = 0
    peak = 0
    lock = threading.Lock()
    release = threading.Event()

    def handler(request: Request) -> WResponse:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
            if active >= 2:
                release.set()
        release.wait(2)
        with lock:
            active -= 1
        return WResponse(FEED)

    httpserver.expect_request("/feed.xml").respond_with_handler(handler)
    httpserver.expect_request("/feed2.xml").respond_with_handler(handler)

    async def run() -> None:
        async with Fetcher(Limits(per_host=2)) as fetcher:
            urls = [httpserver.url_for("/feed.xml"), httpserver.url_for("/feed2.xml")] * 3
            await asyncio.gather(*(fetcher.fetch(url) for url in urls))

    try:
        asyncio.run(run())
    finally:
        httpserver.clear()
        httpserver.stop()
    assert peak == 2


class _Stream(httpx.AsyncByteStream):
    """A body that arrives in pieces, as from a socket (httpx reads a ``content=`` body
    eagerly, which a streaming client cannot read again)."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    async def __aiter__(self):
        for start in range(0, len(self._body), 700):
            yield self._body[start : start + 700]


_statuses = st.sampled_from([200, 201, 204, 301, 302, 303, 304, 307, 308, 400, 404, 410, 418, 429, 500, 503, 599])
_header_values = st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40)
# Any bytes a header line can carry (every byte but CR and LF), as servers send them.
_raw_values = st.binary(max_size=40).map(lambda raw: raw.replace(b"\r", b"").replace(b"\n", b""))
# Locations as servers get them wrong: URL-shaped starts (an unclosed IPv6 bracket, a
# port past 65535, scheme-relative) followed by anything.
_locations = st.one_of(
    _header_values,
    st.builds(
        str.__add__,
        st.sampled_from(["http://[", "https://[::1", "//", "/", "?", "#", "http://h:99999/", "http://", "https:", "\\\\"]),
        _header_values,
    ),
)


@settings(max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    status=_statuses,
    encoding=st.sampled_from(["", "gzip", "deflate", "br", "identity", "gzip, gzip", "bogus"]),
    compress=st.booleans(),
    body=st.binary(max_size=2000),
    location=st.one_of(_locations.map(str.encode), _raw_values),
    retry_after=st.one_of(_header_values.map(str.encode), _raw_values, st.sampled_from([b"\xb2", b"\xd9\xa1", b"9" * 400])),
    content_type=st.one_of(_header_values.map(str.encode), _raw_values),
    validator=_raw_values,
)
def test_fuzz_response_handling_never_crashes(status, encoding, compress, body, location, retry_after, content_type, validator) -> None:
    """Whatever a server answers, the result is a Response or a FetchError, never a
    crash; and so is the next request, conditional on what it said (ETag, Last-Modified)."""
    if compress and encoding == "gzip":
        body = gzip.compress(body)
    elif compress and encoding == "br":
        body = brotli.compress(body)

    def answer(request: httpx.Request) -> httpx.Response:
        raw = [(b"Location", location), (b"Retry-After", retry_after), (b"Content-Type", content_type)]
        if encoding:
            raw.append((b"Content-Encoding", encoding.encode()))
        raw += [(b"ETag", validator), (b"Last-Modified", validator)]
        return httpx.Response(status, headers=raw, stream=_Stream(body))

    async def run() -> None:
        async with Fetcher(FAST, transport=httpx.MockTransport(answer)) as fetcher:
            validators = None
            for _ in range(2):
                try:
                    response = await fetcher.fetch("http://127.0.0.1:9/feed.xml", validators)
                except FetchError as error:
                    assert str(error)
                    return
                assert response.status == 304 or 200 <= response.status < 300
                validators = response.validators

    asyncio.run(run())


def _feed(title: str, declaration: str = "") -> str:
    return (
        f"<?xml version='1.0'{declaration}?><rss version='2.0'><channel><title>Chan</title>"
        f"<item><title>{title}</title><link>http://127.0.0.1/a</link><description>Body text here.</description></item>"
        "</channel></rss>"
    )


@pytest.mark.parametrize(
    ("data", "content_type", "title"),
    [
        (_feed("Привет мир").encode("koi8-r"), "application/rss+xml; charset=KOI8-R", "Привет мир"),  # header only
        (_feed("Straße").encode("utf-8"), "text/xml; charset=iso-8859-1", "Straße"),  # wrong: UTF-8 labelled Latin-1
        (_feed("Straße").encode("latin-1"), "text/xml; charset=utf-8", "Straße"),  # wrong: Latin-1 labelled UTF-8
        (_feed("Straße").encode("utf-8"), "text/xml", "Straße"),  # missing
        (_feed("Straße").encode("utf-8"), "text/xml; charset=no-such-charset", "Straße"),  # unknown
        (_feed("Straße", " encoding='iso-8859-1'").encode("latin-1"), "text/xml", "Straße"),  # declaration only
    ],
)
def test_charsets_from_headers_wrong_or_missing(httpserver: HTTPServer, data: bytes, content_type: str, title: str) -> None:
    from reader.importers import parse_bytes

    httpserver.expect_request("/feed.xml").respond_with_data(data, content_type=content_type)
    response = get(httpserver.url_for("/feed.xml"))
    [article] = parse_bytes(response.body_for_import(), "feed.xml")
    assert article.title == title


class _CountingHandler(http.server.BaseHTTPRequestHandler):
    """Keep-alive HTTP/1.1; counts the connections opened and those still open."""

    protocol_version = "HTTP/1.1"
    opened = 0
    open_now = 0
    lock = threading.Lock()

    def setup(self) -> None:
        super().setup()
        with self.lock:
            type(self).opened += 1
            type(self).open_now += 1

    def finish(self) -> None:
        with self.lock:
            type(self).open_now -= 1
        super().finish()

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(FEED)))
        self.end_headers()
        self.wfile.write(FEED)

    def log_message(self, *args: object) -> None:
        pass


def test_connections_are_kept_per_host_and_bounded_across_hosts() -> None:
    """Eight hosts (ports of 127.0.0.1), fetched in turn twice, with room for two hosts'
    connections: never more than ``connections`` open, a host fetched again at once
    reuses its connection, and a host whose connection was closed for another is
    fetched again on a new one."""
    handler = type("Handler", (_CountingHandler,), {"opened": 0, "open_now": 0, "lock": threading.Lock()})
    servers = [http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) for _ in range(8)]
    for server in servers:
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
    urls = [f"http://127.0.0.1:{server.server_address[1]}/feed.xml" for server in servers]
    peaks: list[int] = []

    async def settled_open() -> int:
        deadline = time.monotonic() + 2
        while handler.open_now > 4 and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        return handler.open_now

    async def run() -> None:
        async with Fetcher(Limits(connect=2, read=2, total=5, per_host=2, connections=4)) as fetcher:
            for _ in range(3):
                assert (await fetcher.fetch(urls[0])).content == FEED
            assert handler.opened == 1, "three fetches in a row from one host opened more than one connection"
            for url in urls * 2:
                assert (await fetcher.fetch(url)).content == FEED
                peaks.append(await settled_open())

    try:
        asyncio.run(run())
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
    assert max(peaks) <= 4, peaks
    # One connection for the first host's three fetches and its first turn, then one per
    # fetch: with room for two hosts, each host's connection was closed before its next turn.
    assert handler.opened == 16, handler.opened
