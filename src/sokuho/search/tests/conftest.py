import pytest
from django.db import transaction

from sokuho.search.tests import corpus as corpus_module


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    """The labelled corpus, published once per module and rolled back after it.

    Tests using it also take ``db``: their own changes roll back to a savepoint, so they
    may publish, unpublish or delete without disturbing the next test.
    """
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield corpus_module.build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
