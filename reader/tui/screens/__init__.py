"""The app's screens, one per module: library (start), article (reader), help, prompt."""
