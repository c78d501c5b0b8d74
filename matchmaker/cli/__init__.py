"""Flask commands, one module per group; ``register`` attaches them all to the app."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    """Attach every command group to the app."""
    from matchmaker.cli.accounts import create_admin
    from matchmaker.cli.deadlines import (
        challenge_reminders,
        close_challenge_windows,
        expire_listings,
        expire_vouchers,
    )
    from matchmaker.cli.demo import seed_demo
    from matchmaker.cli.experts import experts_cli
    from matchmaker.cli.jobs import jobs_cli
    from matchmaker.cli.matching import embed_listings, match_file
    from matchmaker.cli.search import search_cli

    for command in (
        create_admin,
        seed_demo,
        expire_listings,
        match_file,
        embed_listings,
        search_cli,
        jobs_cli,
        challenge_reminders,
        close_challenge_windows,
        expire_vouchers,
        experts_cli,
    ):
        app.cli.add_command(command)
