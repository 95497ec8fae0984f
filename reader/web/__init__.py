"""The network, only when asked: HTTP with limits (http.py), feed subscriptions and updates
(feeds.py), full text and save-by-URL (pages.py). Bytes fetched here go through
reader.importers like a file's."""
