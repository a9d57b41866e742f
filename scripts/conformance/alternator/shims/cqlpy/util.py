import contextlib
import pytest
@contextlib.contextmanager
def config_value_context(*args, **kwargs):
    pytest.skip("Scylla config not available")
    yield
