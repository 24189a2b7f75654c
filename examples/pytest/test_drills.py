"""Drills through the pytest helpers.

run.sh runs the API in static routing mode (scripts/run-local.sh), where drills cannot watch a cluster: every drill
route answers a clear 501 problem. Against a cluster (Kubernetes routing mode), set FAULT_INJECTION_DRILL_EXPECT
(comma-separated, e.g. "condition:SysLogsXIDError,cordon") to run a real drill on FAULT_INJECTION_NODE.
"""

import os

import pytest

from pytest_fault_injection import FaultApiError, start_drill

pytestmark = pytest.mark.fault_injection

NODE = os.environ.get("FAULT_INJECTION_NODE", "gpu-node-001")
EXPECT = [e for e in os.environ.get("FAULT_INJECTION_DRILL_EXPECT", "").split(",") if e]


def routing_is_static(fault_api) -> bool:
    response = fault_api.get("/api/v1/drills")
    return response.status_code == 501


def test_drill_in_static_mode_is_a_clear_501_problem(fault_api, drill):
    if not routing_is_static(fault_api):
        pytest.skip("the API routes through Kubernetes: drills are available")

    with pytest.raises(FaultApiError) as error:
        drill(NODE, ["cordon"], xid=79, timeout_seconds=60)

    assert error.value.status == 501
    assert error.value.problem["title"] == "Drills need Kubernetes"
    assert "Routing:Mode=Static" in error.value.problem["detail"]
    for path in ("/api/v1/drills", "/api/v1/drills/0123456789abcdef", "/api/v1/drills/0123456789abcdef/events"):
        response = fault_api.get(path)
        assert response.status_code == 501, path
        assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.skipif(not EXPECT, reason="set FAULT_INJECTION_DRILL_EXPECT to run a drill against a cluster")
def test_drill_against_a_cluster_passes(fault_api, drill):
    timeline = drill(NODE, EXPECT, xid=int(os.environ.get("FAULT_INJECTION_DRILL_XID", "79")),
                     timeout_seconds=float(os.environ.get("FAULT_INJECTION_DRILL_TIMEOUT", "1800")))

    assert timeline["state"] == "passed", timeline.get("reason")
    assert [s["step"] for s in timeline["steps"]][0] == "injected"
    assert not timeline["missing"]
