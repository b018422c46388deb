import os

import pytest

from sokuho.backups.tests.sites import Site

ENGINES = [pytest.param("sqlite", marks=pytest.mark.own_database), "postgresql"]


@pytest.fixture(params=ENGINES)
def engine(request):
    if request.param == "postgresql":
        from conftest import port_open, require_service

        if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
            pytest.skip("PostgreSQL backups run in the PostgreSQL pass (DATABASE_URL=postgres://…)")
        require_service(port_open("127.0.0.1", 5432), "PostgreSQL at 127.0.0.1:5432")
    return request.param


@pytest.fixture
def make_site(tmp_path):
    sites = []

    def make(engine: str, name: str) -> Site:
        site = Site(engine, tmp_path / name)
        sites.append(site)
        return site

    yield make
    for site in sites:
        site.drop()
