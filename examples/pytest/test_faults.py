"""Drills against a running FaultApi (scripts/run-local.sh, or a cluster through kubectl port-forward).

NODE (env FAULT_INJECTION_NODE, default gpu-node-001) must be a GPU node with a ready agent.
"""

import os

import pytest

from pytest_fault_injection import FaultApiError, injected_xid

pytestmark = pytest.mark.fault_injection

NODE = os.environ.get("FAULT_INJECTION_NODE", "gpu-node-001")


def listed(fault_api, fault_id, active_only=True):
    response = fault_api.get("/api/v1/faults", params={"active_only": str(active_only).lower(), "node": NODE})
    assert response.status_code == 200, response.text
    return [f for f in response.json()["faults"] if f["fault_id"] == fault_id]


def test_ready_and_node_has_gpus(fault_api):
    assert fault_api.get("/ready").json()["status"] == "ready"
    nodes = {n["node_name"]: n for n in fault_api.get("/api/v1/nodes").json()["nodes"]}
    assert NODE in nodes
    assert len(nodes[NODE]["gpus"]) > 0


def test_xid79_is_injected_and_listed_active(fault_api, inject_xid, fault_run_id):
    fault = inject_xid(NODE, 79, gpu_id=0, message=f"GPU has fallen off the bus. {fault_run_id}")

    assert fault["status"] == "injected"
    assert fault["node_name"] == NODE
    # gpu-node-001 runs driver 535.161.08 (its /proc/driver/nvidia/version): an Xid without a process prints
    # pid='<unknown>', name=<unknown> (the r565 form; drivers from 570 leave both out)
    assert f"): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus. {fault_run_id}" in fault["line"]
    assert fault["line_form"] == "r565" and fault["driver_version"] == "535.161.08"
    assert all(record["sequence"] > 0 and record["level"] == 4 for record in fault["records"])
    [active] = listed(fault_api, fault["fault_id"])
    assert active["state"] == "active"


def test_fault_is_cleared_after_the_context_manager(fault_api, fault_run_id):
    with injected_xid(fault_api, NODE, 79, gpu_id=1, message=f"off the bus {fault_run_id}") as fault:
        assert listed(fault_api, fault["fault_id"])

    assert listed(fault_api, fault["fault_id"]) == []
    after = fault_api.get(f"/api/v1/faults/{fault['fault_id']}", params={"node": NODE}).json()
    assert after["state"] == "cleared"


def test_dry_run_writes_nothing(fault_api, inject_xid, fault_run_id):
    fault = inject_xid(NODE, 79, gpu_id=0, dry_run=True, message=f"dry {fault_run_id}")

    assert fault["status"] == "dry_run"
    assert all(record["sequence"] == 0 for record in fault["records"])
    everything = fault_api.get("/api/v1/faults", params={"node": NODE}).json()["faults"]
    assert not [f for f in everything if fault_run_id in f["message"]]


def test_idempotency_key_replays_the_first_result(fault_api, inject_xid, fault_run_id):
    first = inject_xid(NODE, 48, idempotency_key=f"{fault_run_id}-key", message=f"DBE {fault_run_id}")
    retry = inject_xid(NODE, 48, idempotency_key=f"{fault_run_id}-key", message=f"DBE {fault_run_id}")

    assert retry["fault_id"] == first["fault_id"]
    assert retry["replayed"] is True


def test_bad_xid_is_a_400_problem(fault_api):
    with pytest.raises(FaultApiError) as error:
        with injected_xid(fault_api, NODE, 9999):
            pass

    assert error.value.status == 400
    assert error.value.problem["status"] == 400
    assert error.value.problem["errors"]


def test_unparsable_xid_is_a_400_problem(fault_api):
    response = fault_api.post("/api/v1/faults/gpu/inject/xid-abc", json={"node_name": NODE})

    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "xid" in response.json()["errors"]


def test_unknown_node_is_a_404_problem(fault_api):
    response = fault_api.post("/api/v1/faults/gpu/inject/xid-79", json={"node_name": "no-such-node", "gpu_id": 0})

    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "no-such-node" in response.json()["detail"]


def test_missing_token_is_401(fault_api):
    response = fault_api.get("/api/v1/faults", headers={"Authorization": ""})

    assert response.status_code == 401
