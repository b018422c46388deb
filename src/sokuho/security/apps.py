from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "sokuho.security"
    label = "security"
    verbose_name = "セキュリティ"

    def ready(self) -> None:
        from django.db.models.signals import pre_save
        from wagtail.images import get_image_model

        from sokuho.security import uploads

        # Every image, whoever saves it (admin, wire, script), is decoded before it is kept.
        pre_save.connect(
            uploads.check_image_before_save, sender=get_image_model(), dispatch_uid="sokuho-image"
        )
