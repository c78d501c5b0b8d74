"""`flask seed-demo`: realistic Chinese demo data for the embedded set-up (tooling, not product)."""

from __future__ import annotations

import click


@click.command("seed-demo")
def seed_demo() -> None:
    """Load realistic Chinese demo data (idempotent) and print the demo logins."""
    from tooling.demo import seed

    summary = seed(echo=click.echo)
    click.echo(summary)
