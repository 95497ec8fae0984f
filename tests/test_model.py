"""Article ids are stable across re-imports; the JSON shape round-trips."""

from reader.model import Article, RelatedLink, article_from_dict, article_id, canonical_url


def test_canonical_url_drops_tracking_fragment_and_www():
    assert canonical_url("HTTPS://WWW.Example.org/a/b/?utm_source=x&id=3#top") == "https://example.org/a/b?id=3"
    assert canonical_url("") == ""
    assert canonical_url("not a url") == "not a url"


def test_article_id_is_stable_and_url_based_when_possible():
    a = article_id(url="https://example.org/story?utm_medium=rss", title="A")
    b = article_id(url="https://www.example.org/story/", title="B")
    assert a == b and len(a) == 16
    c = article_id(source="Gazette", title="Harbour  opens", published="2026-01-02T10:00")
    d = article_id(source="gazette", title="Harbour opens", published="2026-01-02")
    assert c == d != a


def test_round_trip_through_dict():
    article = Article(
        id="0123456789abcdef", title="T", summary="S", body="P1\n\nP2", language="en", source="X",
        url="https://x.example/t", published="2026-01-01", tags=("a", "b"),
        related=(RelatedLink(title="R", summary="RS", language="de", url="https://y.example"),),
        bookmarked=True, read=True, imported_at="2026-01-02T00:00:00+00:00",
    )
    assert article_from_dict(article.to_dict()) == article
    assert article.paragraphs == ["P1", "P2"]
    assert article.reading_minutes == 1
