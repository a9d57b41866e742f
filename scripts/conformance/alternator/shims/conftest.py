# Shim replacing scylladb's test/conftest.py for running test/alternator against Nimbus.
import pytest

def dynamic_scope():
    return "session"

def pytest_configure(config):
    for m in ("skip_env", "skip_bug", "veryslow"):
        config.addinivalue_line("markers", f"{m}: shim marker")

@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        for mark in item.iter_markers("skip_env"):
            item.add_marker(pytest.mark.skip(reason=mark.kwargs.get("reason", "skip_env")))
