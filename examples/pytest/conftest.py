"""pytest fixtures for GPU fault-injection drills against the FaultApi.

Environment (as the seed's suites use it):
  FAULT_INJECTION_API    the API's base address (default http://localhost:8080; through
                         `kubectl -n fault-injection-system port-forward svc/fault-injection-api 8080:8080`)
  FAULT_INJECTION_TOKEN  a caller token (a line of the API's Auth:TokenFile)
"""

import contextlib
import os
import uuid

import httpx
import pytest


def api_address() -> str:
    return os.environ.get("FAULT_INJECTION_API") or "http://localhost:8080"


@pytest.fixture(scope="session")
def fault_api():
    """An httpx client of the FaultApi: base URL from FAULT_INJECTION_API, bearer token from FAULT_INJECTION_TOKEN."""
    token = os.environ.get("FAULT_INJECTION_TOKEN")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with httpx.Client(base_url=api_address(), headers=headers, timeout=30.0) as client:
        yield client


class FaultApiError(AssertionError):
    """An error answer of the API, with its RFC 7807 problem details."""

    def __init__(self, response: httpx.Response):
        self.status = response.status_code
        try:
            self.problem = response.json()
        except ValueError:
            self.problem = {"title": response.text}
        super().__init__(f"{self.status} {self.problem.get('title')}: {self.problem.get('detail')}")


def clear_fault(client: httpx.Client, fault_id: str, node: str | None = None) -> None:
    """DELETE /api/v1/faults/{id}; a fault that is already gone (404) counts as cleared."""
    params = {"node": node} if node else {}
    response = client.delete(f"/api/v1/faults/{fault_id}", params=params)
    if response.status_code not in (200, 404):
        raise FaultApiError(response)


@contextlib.contextmanager
def injected_xid(client: httpx.Client, node_name: str, xid: int, gpu_id: int = 0, idempotency_key: str | None = None, **fields):
    """Injects an Xid (POST /api/v1/faults/gpu/inject/xid-{n}), yields the API's answer, clears the fault on exit.

    `fields` are the other body members: message, duration (seconds), dry_run, fault_id, companion_lines,
    process_name, pid. Clearing ends the fault's record; the kernel log line itself stays (it cannot be unwritten).
    """
    headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
    response = client.post(
        f"/api/v1/faults/gpu/inject/xid-{xid}",
        json={"node_name": node_name, "gpu_id": gpu_id, **fields},
        headers=headers,
    )
    if response.status_code != 200:
        raise FaultApiError(response)
    fault = response.json()
    try:
        yield fault
    finally:
        if not fault.get("dry_run"):
            clear_fault(client, fault["fault_id"], node_name)


@pytest.fixture
def inject_xid(fault_api):
    """A factory fixture: `fault = inject_xid("gpu-node-001", 79, gpu_id=0)`; every fault it made is cleared at teardown."""
    with contextlib.ExitStack() as stack:
        yield lambda node_name, xid, **kwargs: stack.enter_context(injected_xid(fault_api, node_name, xid, **kwargs))


@pytest.fixture
def run_id() -> str:
    """A marker unique to the test, to find its own lines and faults."""
    return f"pytest-{uuid.uuid4().hex[:12]}"
