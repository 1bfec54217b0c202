"""People: sign-up, sign-in, sessions, password reset."""
