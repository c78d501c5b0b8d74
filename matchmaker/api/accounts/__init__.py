"""Accounts endpoints: sign-in and registration, admin user management, organisations."""
