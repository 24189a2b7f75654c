"""pytest fixtures for GPU fault-injection drills against the FaultApi.

Environment (as the seed's suites use it):
  FAULT_INJECTION_API    the API's base address (default http://localhost:8080; through
                         `kubectl -n fault-injection-system port-forward svc/fault-injection-api 8080:8080`)
  FAULT_INJECTION_TOKEN  a caller token (a line of the API's Auth:TokenFile)
"""

import contextlib
import json
import os
import time
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


# ---- drills (Kubernetes routing mode; an API in static mode answers every drill route with 501) ----

FINAL_DRILL_STATES = ("passed", "failed", "cancelled")


def start_drill(client: httpx.Client, node_name: str, expect: list[str], xid: int | None = 79, timeout_seconds: float | None = None, **fields) -> dict:
    """POST /api/v1/drills: injects the Xid (or, with xid=None, sxid=/nvswitch=/link= in fields) and returns the drill (202, state running).

    `expect`: condition:<Type>, cordon, taint:<key>, drain[:<namespace>], reboot, recover. `fields`: gpu_id, message, sxid, nvswitch, link.
    """
    body = {"node_name": node_name, "expect": list(expect), **fields}
    if xid is not None:
        body["xid"] = xid
    if timeout_seconds is not None:
        body["timeout_seconds"] = timeout_seconds
    response = client.post("/api/v1/drills", json=body)
    if response.status_code != 202:
        raise FaultApiError(response)
    return response.json()


def get_drill(client: httpx.Client, drill_id: str) -> dict:
    response = client.get(f"/api/v1/drills/{drill_id}")
    if response.status_code != 200:
        raise FaultApiError(response)
    return response.json()


def cancel_drill(client: httpx.Client, drill_id: str, reason: str = "cancelled by the test") -> dict:
    """DELETE /api/v1/drills/{id}?reason=: a finished drill is returned unchanged."""
    response = client.delete(f"/api/v1/drills/{drill_id}", params={"reason": reason})
    if response.status_code != 200:
        raise FaultApiError(response)
    return response.json()


def _follow_events_until_verdict(client: httpx.Client, drill_id: str, seconds: float) -> None:
    """Reads GET /api/v1/drills/{id}/events (server-sent events) until `event: verdict`/`deleted`, or for at most `seconds`."""
    timeout = httpx.Timeout(10.0, read=max(1.0, seconds))
    with client.stream("GET", f"/api/v1/drills/{drill_id}/events", headers={"Accept": "text/event-stream"}, timeout=timeout) as response:
        if response.status_code != 200:
            response.read()
            raise FaultApiError(response)
        event = None
        for line in response.iter_lines():
            if line.startswith("event:"):
                event = line[6:].strip()
            elif line.startswith("data:") and event in ("verdict", "deleted"):
                json.loads(line[5:])  # the verdict; the full timeline is read with GET below
                return
            elif line == "":
                event = None


def wait_for_drill(client: httpx.Client, drill_id: str, deadline_seconds: float) -> dict:
    """Follows the drill's event stream (falling back to polling GET every second) until it has a verdict; returns the drill.

    Past `deadline_seconds` the drill is cancelled on the server and a TimeoutError raised.
    """
    deadline = time.monotonic() + deadline_seconds
    while True:
        remaining = deadline - time.monotonic()
        if remaining > 0:
            try:
                _follow_events_until_verdict(client, drill_id, remaining)
            except (httpx.ReadTimeout, httpx.RemoteProtocolError, httpx.ReadError):
                pass  # the stream broke off or went quiet: the record says whether the drill ended
        drill = get_drill(client, drill_id)
        if drill["state"] in FINAL_DRILL_STATES:
            return drill
        if time.monotonic() >= deadline:
            cancel_drill(client, drill_id, "the test's deadline passed")
            raise TimeoutError(f"drill {drill_id} had no verdict within {deadline_seconds} s; it was cancelled")
        time.sleep(1.0)


def run_drill(client: httpx.Client, node_name: str, expect: list[str], xid: int | None = 79, timeout_seconds: float = 600, margin_seconds: float = 60, **fields) -> dict:
    """Starts a drill and returns its finished timeline (state passed / failed / cancelled, steps[], missing, reason).

    Waits at most timeout_seconds + margin_seconds; an interrupted wait (Ctrl-C, a pytest timeout) cancels the drill on the server.
    """
    drill = start_drill(client, node_name, expect, xid=xid, timeout_seconds=timeout_seconds, **fields)
    try:
        return wait_for_drill(client, drill["drill_id"], timeout_seconds + margin_seconds)
    except BaseException:
        with contextlib.suppress(Exception):
            cancel_drill(client, drill["drill_id"], "the test was interrupted")
        raise


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
