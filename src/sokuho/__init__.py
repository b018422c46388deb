"""sokuho (速報): a Japanese-first news publishing platform."""

__version__ = "0.1.0"
