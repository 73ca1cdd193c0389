"""What the sitegen command does with its own process: a build's process ends with it, so
the cyclic collector is not run over what the build made; a command that runs until
stopped keeps it."""
import gc

import pytest

from sitegen import cli
from tests.conftest import copy_sample


@pytest.fixture
def collector():
    was = gc.isenabled()
    yield
    if was:
        gc.enable()


def test_a_build_whose_process_ends_with_it_runs_without_the_collector(tmp_path, collector):
    site = copy_sample(tmp_path / "site")
    assert cli.main(["build", "--no-search", "--root", str(site)], ends=True) == 0
    assert not gc.isenabled()


def test_a_build_called_in_a_process_that_goes_on_keeps_it(tmp_path, collector):
    site = copy_sample(tmp_path / "site")
    assert cli.main(["build", "--no-search", "--root", str(site)]) == 0
    assert gc.isenabled()


def test_a_check_keeps_it_even_when_the_process_ends_with_it(tmp_path, collector):
    site = copy_sample(tmp_path / "site")
    assert cli.main(["check", "--root", str(site)], ends=True) == 0
    assert gc.isenabled()
