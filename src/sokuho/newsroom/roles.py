"""The newsroom's three roles, as Wagtail groups with page and collection permissions.

記者 (reporter) writes and edits drafts and submits them to the desk; it holds no
publish permission anywhere, so no admin view, bulk action, workflow step or copy
can publish for it. デスク (desk) edits, publishes, schedules and unpublishes — on
the whole site, or in one section for a group made by `create_section_desk`.
管理者 (administrator) has every permission, users and settings included.

`install_roles` takes an app registry so the data migration can run it on the
historical models and tests on the real ones.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps as global_apps

REPORTER = "記者"
DESK = "デスク"
ADMINISTRATOR = "管理者"
ROLE_NAMES = (REPORTER, DESK, ADMINISTRATOR)
WORKFLOW_NAME = "デスク承認"
TASK_NAME = "デスク確認"

PAGE_PERMISSIONS = {
    REPORTER: ("add", "change"),
    DESK: ("add", "change", "publish", "lock", "unlock"),
    ADMINISTRATOR: ("add", "bulk_delete", "change", "publish", "lock", "unlock"),
}
COLLECTION_PERMISSIONS = {
    REPORTER: ("wagtailimages.add_image", "wagtailimages.choose_image",
               "wagtaildocs.add_document", "wagtaildocs.choose_document"),
    DESK: ("wagtailimages.add_image", "wagtailimages.change_image",
           "wagtailimages.choose_image", "wagtailimages.delete_image",
           "wagtaildocs.add_document", "wagtaildocs.change_document",
           "wagtaildocs.choose_document", "wagtaildocs.delete_document"),
}  # fmt: skip
COLLECTION_PERMISSIONS[ADMINISTRATOR] = COLLECTION_PERMISSIONS[DESK]
MODEL_PERMISSIONS = {
    REPORTER: ("wagtailadmin.access_admin",),
    DESK: ("wagtailadmin.access_admin", "news.add_provider", "news.change_provider",
           "news.view_provider"),
}  # fmt: skip
# Wagtail's English defaults would sit beside ours; "Moderators" can publish everywhere.
WAGTAIL_DEFAULT_GROUPS = ("Moderators", "Editors")


def _permission(apps: Any, name: str) -> Any:
    app_label, codename = name.split(".")
    return apps.get_model("auth", "Permission").objects.get(
        content_type__app_label=app_label, codename=codename
    )


def _page_permission(apps: Any, action: str) -> Any:
    return _permission(apps, f"wagtailcore.{action}_page")


def create_all_permissions(apps: Any) -> None:
    """Permissions normally appear after migrate; the data migration needs them now."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None


def install_roles(apps: Any = global_apps) -> None:
    """Create the three groups, their permissions and the デスク承認 workflow (idempotent)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")

    root_page = Page.objects.filter(depth=1).order_by("path").first()
    root_collection = Collection.objects.filter(depth=1).order_by("path").first()
    groups = {name: Group.objects.get_or_create(name=name)[0] for name in ROLE_NAMES}
    for name, group in groups.items():
        if name == ADMINISTRATOR:
            group.permissions.add(*Permission.objects.all())
        else:
            group.permissions.add(*(_permission(apps, p) for p in MODEL_PERMISSIONS[name]))
        if root_page is not None:
            for action in PAGE_PERMISSIONS[name]:
                GroupPagePermission.objects.get_or_create(
                    group=group, page=root_page, permission=_page_permission(apps, action)
                )
        if root_collection is not None:
            for perm in COLLECTION_PERMISSIONS[name]:
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=_permission(apps, perm)
                )
    for name in WAGTAIL_DEFAULT_GROUPS:
        Group.objects.filter(name=name, user__isnull=True).delete()
    if root_page is not None:
        install_workflow(apps, root_page, [groups[DESK], groups[ADMINISTRATOR]])


def install_workflow(apps: Any, root_page: Any, groups: list[Any]) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    DeskApprovalTask = apps.get_model("newsroom", "DeskApprovalTask")

    task_type, _ = ContentType.objects.get_or_create(app_label="newsroom", model="deskapprovaltask")
    task = DeskApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = DeskApprovalTask.objects.create(name=TASK_NAME, content_type=task_type, active=True)
    task.groups.add(*groups)
    workflow, created = Workflow.objects.get_or_create(
        name=WORKFLOW_NAME, defaults={"active": True}
    )
    if created:
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    # The root page's workflow covers every section below it; it replaces Wagtail's default.
    previous = WorkflowPage.objects.filter(page=root_page).exclude(workflow=workflow).first()
    WorkflowPage.objects.update_or_create(page=root_page, defaults={"workflow": workflow})
    if previous is not None and not WorkflowPage.objects.filter(workflow=previous.workflow):
        old = Workflow.objects.filter(pk=previous.workflow_id, name="Moderators approval")
        apps.get_model("wagtailcore", "Task").objects.filter(
            workflow_tasks__workflow__in=old
        ).update(active=False)
        old.update(active=False)


def complete_administrator_role(sender: Any = None, **kwargs: Any) -> None:
    """After every migrate: 管理者 holds every permission, including those of new apps."""
    from django.contrib.auth.models import Group, Permission

    if kwargs.get("using", "default") != "default":
        return
    group = Group.objects.filter(name=ADMINISTRATOR).first()
    if group is not None:
        missing = Permission.objects.exclude(group=group)
        if missing.exists():
            group.permissions.add(*missing)


def grant(role: str, *permission_names: str) -> None:
    """Give a role model permissions by "app_label.codename" (for the wire and newsletter)."""
    from django.contrib.auth.models import Group

    group = Group.objects.get(name=role)
    group.permissions.add(*(_permission(global_apps, name) for name in permission_names))


def create_section_desk(section: Any) -> Any:
    """A desk group for one section: publishes there and nowhere else."""
    from django.contrib.auth.models import Group
    from wagtail.models import GroupPagePermission

    from sokuho.newsroom.models import DeskApprovalTask

    desk = Group.objects.get(name=DESK)
    group, _ = Group.objects.get_or_create(name=f"{DESK}（{section.title}）")
    group.permissions.add(*desk.permissions.all())
    for action in PAGE_PERMISSIONS[DESK]:
        GroupPagePermission.objects.get_or_create(
            group=group, page=section, permission=_page_permission(global_apps, action)
        )
    for grant_ in desk.collection_permissions.all():
        group.collection_permissions.get_or_create(
            collection=grant_.collection, permission=grant_.permission
        )
    for task in DeskApprovalTask.objects.filter(name=TASK_NAME):
        task.groups.add(group)
    if global_apps.is_installed("sokuho.security"):
        from sokuho.security.models import TwoFactorPolicy

        desk_policy = TwoFactorPolicy.objects.filter(group=desk).first()
        if desk_policy is not None:
            TwoFactorPolicy.objects.get_or_create(
                group=group, defaults={"required": desk_policy.required}
            )
    return group


def can_handle_wire(user: Any, section: Any) -> bool:
    """May this user release, publish or kill wire items in this section? (desks only)"""
    return bool(user.is_active and section.permissions_for_user(user).can_publish_subpage())
