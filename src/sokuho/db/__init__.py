"""Database backends: Django's own, with what sokuho's pages need made cheaper."""
