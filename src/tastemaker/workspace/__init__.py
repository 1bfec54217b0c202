"""Workspaces (a brand, or an agency's client), members, roles, invitations, API keys."""
