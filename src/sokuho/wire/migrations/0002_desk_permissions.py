"""デスク (the desk role) sees the ingest log and edits the wire rules."""

from django.db import migrations

DESK_PERMISSIONS = [
    ("wire", "view_wireitemrecord"),
    ("wire", "add_wirerule"),
    ("wire", "change_wirerule"),
    ("wire", "view_wirerule"),
]


def grant(apps, schema_editor):
    from sokuho.newsroom.roles import DESK, create_all_permissions

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    desk = Group.objects.filter(name=DESK).first()
    if desk is None:
        return
    create_all_permissions(apps)
    for app_label, codename in DESK_PERMISSIONS:
        desk.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("wire", "0001_wire_ingest"),
        ("newsroom", "0002_newsroom_roles"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
