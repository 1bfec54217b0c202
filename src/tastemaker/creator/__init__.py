"""Creators, their platform accounts, metric history, and each workspace's own notes on them."""
