"""The UI test's set-up never passes without a browser: it installs one or skips, saying why."""

import sys
import types

import pytest

from tests.e2e.conftest import require_browser


def test_no_browser_and_no_install_skips_with_the_reason():
    with pytest.raises(pytest.skip.Exception, match="could not be installed \\(apt-get is not available"):
        require_browser(find=lambda: (None, None), install=lambda: "apt-get is not available on this machine")


def test_a_browser_installed_by_the_set_up_is_used(monkeypatch):
    monkeypatch.setitem(sys.modules, "selenium", types.ModuleType("selenium"))  # no pip install here
    found = iter([(None, None), ("/usr/bin/chromium", "/usr/bin/chromedriver")])
    calls = []
    paths = require_browser(find=lambda: next(found), install=lambda: calls.append("apt") or "")
    assert paths == ("/usr/bin/chromium", "/usr/bin/chromedriver") and calls == ["apt"]
