"""記者, デスク and 管理者, their permissions, and the デスク承認 workflow on every page."""

from django.db import migrations


def install(apps, schema_editor):
    from sokuho.newsroom.roles import create_all_permissions, install_roles

    create_all_permissions(apps)
    install_roles(apps)


def uninstall(apps, schema_editor):
    from sokuho.newsroom.roles import ROLE_NAMES, WORKFLOW_NAME

    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW_NAME).delete()
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_NAMES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0001_deskapprovaltask"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("news", "0001_initial_content_model"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
