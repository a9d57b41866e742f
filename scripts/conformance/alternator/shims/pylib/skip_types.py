import pytest
def skip_env(reason):
    pytest.skip(reason)
def skip_bug(link, reason=""):
    pytest.skip(f"{link} {reason}")
