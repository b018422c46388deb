import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sokuho.settings")

from sokuho.pagecache.wsgi import CachedPageApplication

application = CachedPageApplication(get_wsgi_application())
