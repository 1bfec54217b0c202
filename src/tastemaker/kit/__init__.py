"""Shared plumbing: settings, database, errors, money, time, pagination, security."""
