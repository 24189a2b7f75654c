"""A FaultApi client for pytest suites: faults that clear themselves, drills followed to their verdict.

Environment (as the seed's suites use it):
  FAULT_INJECTION_API    the API's base address (default http://localhost:8080; through
                         `kubectl -n fault-injection-system port-forward svc/fault-injection-api 8080:8080`)
  FAULT_INJECTION_TOKEN  a caller token (a line of the API's Auth:TokenFile)
"""

import contextlib
import json
import os
import time

import httpx

__all__ = [
    "API_VARIABLE",
    "TOKEN_VARIABLE",
    "DEFAULT_API",
    "FINAL_DRILL_STATES",
    "FaultApiError",
    "api_address",
    "api_configured",
    "client",
    "clear_fault",
    "injected_xid",
    "injected_sxid",
    "start_drill",
    "get_drill",
    "cancel_drill",
    "wait_for_drill",
    "run_drill",
]

API_VARIABLE = "FAULT_INJECTION_API"
TOKEN_VARIABLE = "FAULT_INJECTION_TOKEN"
DEFAULT_API = "http://localhost:8080"
FINAL_DRILL_STATES = ("passed", "failed", "cancelled")


def api_address() -> str:
    """FAULT_INJECTION_API, else http://localhost:8080."""
    return os.environ.get(API_VARIABLE) or DEFAULT_API


def api_configured() -> bool:
    """True when FAULT_INJECTION_API names an API to test against."""
    return bool(os.environ.get(API_VARIABLE, "").strip())


def client(timeout: float = 30.0) -> httpx.Client:
    """An httpx client of the FaultApi: base URL from FAULT_INJECTION_API, bearer token from FAULT_INJECTION_TOKEN."""
    token = os.environ.get(TOKEN_VARIABLE)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=api_address(), headers=headers, timeout=timeout)


class FaultApiError(AssertionError):
    """An error answer of the API, with its RFC 7807 problem details (`status`, `problem`)."""

    def __init__(self, response: httpx.Response):
        self.status = response.status_code
        try:
            self.problem = response.json()
        except ValueError:
            self.problem = {"title": response.text}
        errors = self.problem.get("errors") or {}
        fields = "; ".join(f"{name}: {' '.join(messages)}" for name, messages in sorted(errors.items()))
        super().__init__(f"{self.status} {self.problem.get('title')}: {self.problem.get('detail')}" + (f" ({fields})" if fields else ""))


def clear_fault(api: httpx.Client, fault_id: str, node: str | None = None, reason: str | None = None) -> None:
    """DELETE /api/v1/faults/{id}; a fault that is already gone (404) counts as cleared."""
    params = {key: value for key, value in (("node", node), ("reason", reason)) if value}
    response = api.delete(f"/api/v1/faults/{fault_id}", params=params)
    if response.status_code not in (200, 404):
        raise FaultApiError(response)


def _inject(api: httpx.Client, path: str, body: dict, idempotency_key: str | None) -> dict:
    headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
    response = api.post(path, json=body, headers=headers)
    if response.status_code != 200:
        raise FaultApiError(response)
    return response.json()


@contextlib.contextmanager
def _cleared_on_exit(api: httpx.Client, fault: dict, node_name: str):
    try:
        yield fault
    finally:
        if not fault.get("dry_run"):
            clear_fault(api, fault["fault_id"], node_name)


@contextlib.contextmanager
def injected_xid(api: httpx.Client, node_name: str, xid: int, gpu_id: int = 0, idempotency_key: str | None = None, **fields):
    """Injects an Xid (POST /api/v1/faults/gpu/inject/xid-{n}), yields the API's answer, clears the fault on exit.

    `fields` are the other body members: message, duration (seconds), dry_run, fault_id, companion_lines,
    process_name, pid, driver_version, gpu_instance, compute_instance, channel, previous_xid, fallen_off_bus_probe,
    omit_companion_records, collect_bug_report. Clearing ends the fault's record; the kernel log line itself stays.
    """
    fault = _inject(api, f"/api/v1/faults/gpu/inject/xid-{xid}", {"node_name": node_name, "gpu_id": gpu_id, **fields}, idempotency_key)
    with _cleared_on_exit(api, fault, node_name) as yielded:
        yield yielded


@contextlib.contextmanager
def injected_sxid(api: httpx.Client, node_name: str, sxid: int, nvswitch: int, link: int, idempotency_key: str | None = None, **fields):
    """Injects an NVSwitch SXid (POST /api/v1/faults/gpu/inject/sxid-{n}), yields the answer, clears the fault on exit.

    `fields`: pci_bus_id, message, duration, dry_run, fault_id, first, error_class, data, omit_companion_records,
    collect_bug_report.
    """
    body = {"node_name": node_name, "nvswitch": nvswitch, "link": link, **fields}
    fault = _inject(api, f"/api/v1/faults/gpu/inject/sxid-{sxid}", body, idempotency_key)
    with _cleared_on_exit(api, fault, node_name) as yielded:
        yield yielded


# ---- drills (Kubernetes routing mode; an API in static mode answers every drill route with 501) ----


def start_drill(api: httpx.Client, node_name: str, expect: list[str], xid: int | None = 79, timeout_seconds: float | None = None, **fields) -> dict:
    """POST /api/v1/drills: injects the Xid (or, with xid=None, sxid=/nvswitch=/link= in fields) and returns the drill (202, state running).

    `expect`: condition:<Type>, cordon, taint:<key>, drain[:<namespace>], reboot, recover. `fields`: gpu_id, message, sxid, nvswitch, link.
    """
    body = {"node_name": node_name, "expect": list(expect), **fields}
    if xid is not None:
        body["xid"] = xid
    if timeout_seconds is not None:
        body["timeout_seconds"] = timeout_seconds
    response = api.post("/api/v1/drills", json=body)
    if response.status_code != 202:
        raise FaultApiError(response)
    return response.json()


def get_drill(api: httpx.Client, drill_id: str) -> dict:
    """GET /api/v1/drills/{id}: the timeline and verdict."""
    response = api.get(f"/api/v1/drills/{drill_id}")
    if response.status_code != 200:
        raise FaultApiError(response)
    return response.json()


def cancel_drill(api: httpx.Client, drill_id: str, reason: str = "cancelled by the test") -> dict:
    """DELETE /api/v1/drills/{id}?reason=: a finished drill is returned unchanged."""
    response = api.delete(f"/api/v1/drills/{drill_id}", params={"reason": reason})
    if response.status_code != 200:
        raise FaultApiError(response)
    return response.json()


def _follow_events_until_verdict(api: httpx.Client, drill_id: str, seconds: float) -> None:
    """Reads GET /api/v1/drills/{id}/events (server-sent events) until `event: verdict`/`deleted`, or for at most `seconds`."""
    timeout = httpx.Timeout(10.0, read=max(1.0, seconds))
    with api.stream("GET", f"/api/v1/drills/{drill_id}/events", headers={"Accept": "text/event-stream"}, timeout=timeout) as response:
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


def wait_for_drill(api: httpx.Client, drill_id: str, deadline_seconds: float) -> dict:
    """Follows the drill's event stream (falling back to polling GET every second) until it has a verdict; returns the drill.

    Past `deadline_seconds` the drill is cancelled on the server and a TimeoutError raised.
    """
    deadline = time.monotonic() + deadline_seconds
    while True:
        remaining = deadline - time.monotonic()
        if remaining > 0:
            try:
                _follow_events_until_verdict(api, drill_id, remaining)
            except (httpx.ReadTimeout, httpx.RemoteProtocolError, httpx.ReadError):
                pass  # the stream broke off or went quiet: the record says whether the drill ended
        drill = get_drill(api, drill_id)
        if drill["state"] in FINAL_DRILL_STATES:
            return drill
        if time.monotonic() >= deadline:
            cancel_drill(api, drill_id, "the test's deadline passed")
            raise TimeoutError(f"drill {drill_id} had no verdict within {deadline_seconds} s; it was cancelled")
        time.sleep(1.0)


def run_drill(api: httpx.Client, node_name: str, expect: list[str], xid: int | None = 79, timeout_seconds: float = 600, margin_seconds: float = 60, **fields) -> dict:
    """Starts a drill and returns its finished timeline (state passed / failed / cancelled, steps[], missing, reason).

    Waits at most timeout_seconds + margin_seconds; an interrupted wait (Ctrl-C, a pytest timeout) cancels the drill on the server.
    """
    drill = start_drill(api, node_name, expect, xid=xid, timeout_seconds=timeout_seconds, **fields)
    try:
        return wait_for_drill(api, drill["drill_id"], timeout_seconds + margin_seconds)
    except BaseException:
        with contextlib.suppress(Exception):
            cancel_drill(api, drill["drill_id"], "the test was interrupted")
        raise
