"""`flask create-admin`: the first platform administrator."""

from __future__ import annotations

import click


@click.command("create-admin")
@click.option("--email", required=True)
@click.option("--name", default="平台管理员")
@click.option("--phone", default=None)
@click.password_option("--password", envvar="ADMIN_PASSWORD")
def create_admin(email: str, name: str, phone: str | None, password: str) -> None:
    """Create a platform administrator (password prompted, or ADMIN_PASSWORD)."""
    from matchmaker.auth.actor import Actor
    from matchmaker.services import accounts

    god = Actor(user=_ephemeral_admin(), request_id="cli")
    user = accounts.create_user(
        actor=god,
        data={"email": email, "name": name, "phone": phone, "password": password, "roles": ["admin"]},
    )
    click.echo(f"已创建管理员 {user.email}（id={user.id}）")


def _ephemeral_admin():
    from matchmaker.models import User

    return User(id=None, name="cli", email="cli@localhost", roles=["admin"])
