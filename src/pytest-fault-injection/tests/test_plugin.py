"""The installed plugin, as a suite meets it: each test writes a small test module and runs pytest on it in a fresh
interpreter (pytester), so the fixtures come from the pytest11 entry point alone — no conftest.py, no -p. Faults go to
the product run locally (FAULT_INJECTION_API); what they left behind is read back from the API.
"""

import os
import re

import pytest

from pytest_fault_injection import FaultApiError, client, injected_sxid

pytest_plugins = ["pytester"]

NODE = os.environ.get("FAULT_INJECTION_NODE", "gpu-node-001")


@pytest.fixture(scope="module")
def api():
    with client() as api:
        yield api


def faults_printed(result) -> list[str]:
    # Only the printed ids: a failure's traceback shows the print call itself (FAULT_ID=" + ...).
    return re.findall(r"FAULT_ID=([A-Za-z0-9._-]+)", result.stdout.str())


def state_of(api, fault_id):
    response = api.get(f"/api/v1/faults/{fault_id}", params={"node": NODE})
    assert response.status_code == 200, response.text
    return response.json()["state"]


@pytest.mark.fault_injection
def test_entry_point_provides_the_fixtures_without_a_conftest(pytester):
    pytester.makepyfile(
        """
        def test_fixtures(fault_api, inject_xid, inject_sxid, drill, fault_run_id):
            assert str(fault_api.base_url).rstrip("/") == __import__("os").environ["FAULT_INJECTION_API"].rstrip("/")
            assert fault_api.headers["Authorization"].startswith("Bearer ")
            assert fault_api.get("/ready").json()["status"] == "ready"
            assert fault_run_id.startswith("pytest-")
        """
    )

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--strict-markers")

    result.assert_outcomes(passed=1)
    assert not (pytester.path / "conftest.py").exists()


def test_marker_skips_cleanly_when_no_api_is_configured(pytester, monkeypatch):
    monkeypatch.delenv("FAULT_INJECTION_API", raising=False)
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.fault_injection
        def test_needs_the_api(fault_api):
            raise AssertionError("ran without an API")

        def test_needs_nothing():
            pass
        """
    )

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--strict-markers", "-rs")

    result.assert_outcomes(passed=1, skipped=1)
    result.stdout.fnmatch_lines(["*FAULT_INJECTION_API is not set: no FaultApi to test against*"])


@pytest.mark.fault_injection
def test_marker_is_registered_and_runs_the_test_with_an_api(pytester):
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.fault_injection
        def test_needs_the_api(fault_api):
            assert fault_api.get("/health").status_code == 200
        """
    )

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--strict-markers", "--markers")

    result.stdout.fnmatch_lines(["@pytest.mark.fault_injection: the test needs a FaultApi (FAULT_INJECTION_API)*"])
    pytester.runpytest_subprocess("-p", "no:cacheprovider", "--strict-markers").assert_outcomes(passed=1)


@pytest.mark.fault_injection
def test_inject_xid_clears_its_faults_at_teardown_even_when_the_test_fails(pytester, api, fault_run_id):
    pytester.makepyfile(
        f"""
        def test_passes(inject_xid):
            fault = inject_xid("{NODE}", 79, gpu_id=3, message="plugin {fault_run_id}", duration=600)
            print("FAULT_ID=" + fault["fault_id"])
            assert fault["status"] == "injected"

        def test_fails(inject_xid):
            fault = inject_xid("{NODE}", 48, gpu_id=4, message="plugin {fault_run_id}")
            print("FAULT_ID=" + fault["fault_id"])
            assert fault["status"] == "not what it is"
        """
    )

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-s")

    result.assert_outcomes(passed=1, failed=1)
    injected = faults_printed(result)
    assert len(injected) == 2
    assert [state_of(api, fault_id) for fault_id in injected] == ["cleared", "cleared"]


@pytest.mark.fault_injection
def test_inject_sxid_writes_the_switch_line_and_clears_it(pytester, api, fault_run_id):
    pytester.makepyfile(
        f"""
        def test_sxid(inject_sxid):
            fault = inject_sxid("{NODE}", 12028, nvswitch=0, link=3, message="plugin {fault_run_id}")
            print("FAULT_ID=" + fault["fault_id"])
            assert "nvidia-nvswitch0: SXid (PCI:0000:05:00.0): 12028, " in fault["line"]
            assert (fault["nvswitch"], fault["link"]) == (0, 3)
        """
    )

    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-s")

    result.assert_outcomes(passed=1)
    [fault_id] = faults_printed(result)
    assert state_of(api, fault_id) == "cleared"


@pytest.mark.fault_injection
def test_drill_fixture_raises_the_static_mode_501_problem(pytester):
    pytester.makepyfile(
        f"""
        import pytest
        from pytest_fault_injection import FaultApiError

        def test_drill(drill):
            with pytest.raises(FaultApiError) as error:
                drill("{NODE}", ["cordon"], xid=79, timeout_seconds=60)
            assert error.value.status == 501
            assert error.value.problem["title"] == "Drills need Kubernetes"
        """
    )

    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)


@pytest.mark.fault_injection
def test_fault_api_error_names_the_bad_fields(api):
    with pytest.raises(FaultApiError) as error:
        with injected_sxid(api, NODE, 12028, nvswitch=0, link=100):
            pass

    assert error.value.status == 400
    assert "link" in error.value.problem["errors"]
    assert "link:" in str(error.value)
