"""Engine options per database: a SQLite file is not pinged before each checkout; a server is."""

from traincenter import db_engine


def test_sqlite_skips_the_ping_a_server_keeps_it():
    configured = {"pool_pre_ping": True, "echo": False}
    assert db_engine.options("sqlite:////tmp/x.db", configured) == {"pool_pre_ping": False,
                                                                      "echo": False}
    assert db_engine.options("postgresql+psycopg://u@h/db", configured) == configured
    assert configured["pool_pre_ping"] is True  # the configuration itself is left alone


def test_the_app_engine_follows_its_database(app):
    from traincenter.extensions import db

    pings = db.engine.pool._pre_ping
    assert pings is (db.engine.dialect.name != "sqlite")
