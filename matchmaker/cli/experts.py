"""`flask experts import FILE.csv`: appoint a bureau's existing expert pool (专家库) in bulk."""

from __future__ import annotations

import csv
from pathlib import Path

import click

COLUMNS = ("email", "fields", "specialties", "title")


@click.group("experts")
def experts_cli() -> None:
    """Expert reviewers (评审专家)."""


@experts_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_pool(path: Path) -> None:
    """Appoint the registered people listed in a UTF-8 CSV (email, fields, specialties, title).

    fields are taxonomy codes separated by spaces or 、. Rows whose e-mail has no account, or whose
    unit is not verified, are reported and skipped; the others get the expert role and a profile.
    """
    from matchmaker.auth.actor import Actor
    from matchmaker.cli.accounts import _ephemeral_admin
    from matchmaker.extensions import db
    from matchmaker.models import ExpertProfile
    from matchmaker.services import credentials
    from matchmaker.services.challenges.review.appointment import appoint
    from matchmaker.services.trust import UnverifiedOrganization

    operator = Actor(user=_ephemeral_admin(), request_id="cli-experts-import")
    done, skipped = 0, []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            user = credentials.find_user((row.get("email") or "").strip())
            if user is None:
                skipped.append(f"第 {line} 行：{row.get('email')} 未注册")
                continue
            try:
                appoint(user.id, actor=operator)
            except UnverifiedOrganization:
                skipped.append(f"第 {line} 行：{row.get('email')} 所在单位未认证")
                continue
            profile = db.session.get(ExpertProfile, user.id) or ExpertProfile(user_id=user.id, active=True)
            profile.fields = (row.get("fields") or "").replace("、", " ").split()
            profile.specialties = (row.get("specialties") or "").strip()[:500]
            profile.title = (row.get("title") or "").strip()[:50]
            db.session.add(profile)
            db.session.commit()
            done += 1
    click.echo(f"已认定专家 {done} 人")
    for message in skipped:
        click.echo(f"  跳过 {message}")
