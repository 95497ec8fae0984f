"""The app's own widgets: the virtual article list, the article body, cards, bars."""
