"""The pytest plugin (entry point pytest11 `fault_injection`): fixtures and the `fault_injection` marker."""

import contextlib
import uuid

import pytest

from . import API_VARIABLE, api_configured, cancel_drill, client, get_drill, injected_sxid, injected_xid, start_drill, wait_for_drill

MARKER = "fault_injection"
SKIP_REASON = f"{API_VARIABLE} is not set: no FaultApi to test against"


def pytest_configure(config):
    config.addinivalue_line("markers", f"{MARKER}: the test needs a FaultApi ({API_VARIABLE}); skipped when none is configured")


def pytest_collection_modifyitems(config, items):
    if api_configured():
        return
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if item.get_closest_marker(MARKER) is not None:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def fault_api():
    """An httpx client of the FaultApi: base URL from FAULT_INJECTION_API, bearer token from FAULT_INJECTION_TOKEN."""
    with client() as api:
        yield api


@pytest.fixture
def inject_xid(fault_api):
    """A factory: `fault = inject_xid("gpu-node-001", 79, gpu_id=0)`; every fault it made is cleared at teardown."""
    with contextlib.ExitStack() as stack:
        yield lambda node_name, xid, **kwargs: stack.enter_context(injected_xid(fault_api, node_name, xid, **kwargs))


@pytest.fixture
def inject_sxid(fault_api):
    """A factory: `fault = inject_sxid("gpu-node-001", 12028, nvswitch=0, link=3)`; every fault it made is cleared at teardown."""
    with contextlib.ExitStack() as stack:
        yield lambda node_name, sxid, nvswitch, link, **kwargs: stack.enter_context(injected_sxid(fault_api, node_name, sxid, nvswitch, link, **kwargs))


@pytest.fixture
def fault_run_id() -> str:
    """A marker unique to the test, to find its own lines and faults."""
    return f"pytest-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def drill(fault_api):
    """`timeline = drill("gpu-node-001", ["condition:SysLogsXIDError", "cordon"], xid=79, timeout_seconds=900)`.

    Starts the drill, waits for its verdict (SSE, polling as fallback) and returns the drill JSON; assert on
    timeline["state"] == "passed" and timeline["steps"]. Any drill it started that still runs at teardown is cancelled.
    """
    started = []

    def run(node_name, expect, xid=79, timeout_seconds=600, margin_seconds=60, **fields):
        begun = start_drill(fault_api, node_name, expect, xid=xid, timeout_seconds=timeout_seconds, **fields)
        started.append(begun["drill_id"])
        return wait_for_drill(fault_api, begun["drill_id"], timeout_seconds + margin_seconds)

    yield run
    for drill_id in started:
        with contextlib.suppress(Exception):
            if get_drill(fault_api, drill_id)["state"] == "running":
                cancel_drill(fault_api, drill_id, "test teardown")
