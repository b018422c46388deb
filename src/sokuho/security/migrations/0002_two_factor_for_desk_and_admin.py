"""Two-factor login required for 管理者 and デスク from the start; optional for 記者."""

from django.db import migrations

REQUIRED = {"管理者": True, "デスク": True, "記者": False}


def install(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    TwoFactorPolicy = apps.get_model("security", "TwoFactorPolicy")
    for group in Group.objects.filter(name__in=REQUIRED):
        TwoFactorPolicy.objects.get_or_create(
            group=group, defaults={"required": REQUIRED[group.name]}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("security", "0001_two_factor_policy"),
        ("newsroom", "0002_newsroom_roles"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
