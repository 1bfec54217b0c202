"""Tastemaker: an open-source, self-hostable influencer-marketing platform."""

__version__ = "0.1.0"
