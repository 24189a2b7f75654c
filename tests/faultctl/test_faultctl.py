"""faultctl, installed as a .NET tool from its packed nupkg, against the product run locally (scripts/run-local.sh).

Each test runs the `faultctl` command the way a person or a CI job does (FAULTCTL: the installed command) and checks
its output, stderr and exit code; the API is read back with the pytest plugin's client to check what really happened.
"""

import gzip
import hashlib
import json
import os
import re
import subprocess
import uuid

import pytest

from pytest_fault_injection import client

pytestmark = pytest.mark.fault_injection

FAULTCTL = os.environ.get("FAULTCTL", "faultctl")
NODE = "gpu-node-001"
SECOND_NODE = "gpu-node-002"

USAGE, API_ERROR, UNREACHABLE, FAILED = 2, 3, 4, 1


def faultctl(*args, env=None, check=None, cwd=None):
    """Runs faultctl; returns the CompletedProcess (text). `check`: the exit code it must end with."""
    environment = dict(os.environ)
    environment.update(env or {})
    result = subprocess.run([FAULTCTL, *args], capture_output=True, text=True, env=environment, cwd=cwd, timeout=120)
    if check is not None:
        assert result.returncode == check, f"exit {result.returncode}\nstdout: {result.stdout}\nstderr: {result.stderr}"
    return result


def json_of(*args):
    return json.loads(faultctl(*args, "--output", "json", check=0).stdout)


@pytest.fixture
def marker():
    return f"faultctl-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="module")
def api():
    with client() as api:
        yield api


def fault_state(api, fault_id, node=NODE):
    response = api.get(f"/api/v1/faults/{fault_id}", params={"node": node})
    assert response.status_code == 200, response.text
    return response.json()


def test_nodes_lists_both_simulated_nodes_with_driver_gpus_mig_and_labels():
    table = faultctl("nodes", check=0).stdout.splitlines()
    nodes = json_of("nodes")

    assert table[0].split() == ["NODE", "DRIVER", "FORM", "GPUS", "MIG", "NVSWITCHES", "LABELS"]
    row = next(line for line in table if line.startswith(NODE + " "))
    assert "535.161.08" in row and "r565" in row and "8 NVIDIA H100 80GB HBM3" in row and "gpu7:" in row and "pool=a" in row
    assert nodes["count"] == 2
    by_name = {n["node_name"]: n for n in nodes["nodes"]}
    assert set(by_name) == {NODE, SECOND_NODE}
    assert [m["gpu_instance"] for m in by_name[NODE]["gpus"][7]["mig_instances"]][:2] == [1, 2]
    assert len(by_name[NODE]["nvswitches"]) == 4


def test_inject_xid_with_ttl_is_active_listed_and_cleared(api, marker):
    fault = json_of("inject", "xid", "79", "--node", NODE, "--gpu", "0", "--ttl", "10m", "--message", f"GPU has fallen off the bus. {marker}")

    assert fault["status"] == "injected" and fault["node_name"] == NODE and fault["gpu_id"] == 0
    assert f"): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus. {marker}" in fault["line"]
    assert fault["expires_at"] is not None and fault["line_form"] == "r565"
    assert all(record["sequence"] > 0 for record in fault["records"])
    active = json_of("faults", "--active", "--node", NODE)
    assert fault["fault_id"] in [f["fault_id"] for f in active["faults"]]
    shown = faultctl("faults", fault["fault_id"], "--node", NODE, check=0).stdout
    assert fault["fault_id"] in shown and "active" in shown and marker in shown

    cleared = faultctl("clear", fault["fault_id"], "--node", NODE, "--reason", "faultctl test done", check=0).stdout

    assert "cleared" in cleared
    after = fault_state(api, fault["fault_id"])
    assert after["state"] == "cleared" and after["ended_reason"].endswith("faultctl test done")


def test_inject_xid_table_names_the_fault_and_its_kernel_sequence(api, marker):
    result = faultctl("inject", "xid", "48", "--node", NODE, "--gpu", "1", "--fault-id", marker, "--message", f"DBE {marker}", check=0)

    header, row = result.stdout.splitlines()[:2]
    assert header.split() == ["FAULT", "NODE", "TARGET", "STATUS", "SEQ", "EXPIRES", "LINE"]
    assert row.split()[:4] == [marker, NODE, f"{NODE}/gpu1", "injected"]
    assert int(row.split()[4]) > 0
    assert f"): 48, " in row and f"DBE {marker}" in row
    faultctl("clear", marker, "--node", NODE, check=0)


def test_inject_xid_on_a_mig_instance_names_it(api, marker):
    fault = json_of("inject", "xid", "31", "--node", NODE, "--gpu", "7", "--gpu-instance", "1", "--compute-instance", "0", "--message", marker)

    assert (fault["gpu_instance"], fault["compute_instance"]) == (1, 0)
    assert "GPU-I:01" in fault["line"] and "GPU-CI:00" in fault["line"]
    faultctl("clear", fault["fault_id"], "--node", NODE, check=0)


def test_inject_xid_in_another_driver_form(api, marker):
    fault = json_of("inject", "xid", "79", "--node", NODE, "--driver-version", "570", "--omit-companion-records", "--message", marker)

    assert fault["line_form"] == "r570" and fault["driver_version_source"] == "request"
    assert "pid='<unknown>'" not in fault["line"]
    assert len(fault["records"]) == 1
    faultctl("clear", fault["fault_id"], "--node", NODE, check=0)


def test_dry_run_writes_nothing(api, marker):
    fault = json_of("inject", "xid", "13", "--node", NODE, "--dry-run", "--message", marker)

    assert fault["status"] == "dry_run" and fault["dry_run"] is True
    assert all(record["sequence"] == 0 for record in fault["records"])
    assert not [f for f in json_of("faults", "--node", NODE)["faults"] if marker in f["message"]]


def test_idempotency_key_replays_the_first_result(api, marker):
    first = json_of("inject", "xid", "48", "--node", NODE, "--idempotency-key", marker, "--message", marker)
    retry = json_of("inject", "xid", "48", "--node", NODE, "--idempotency-key", marker, "--message", marker)

    assert retry["fault_id"] == first["fault_id"] and retry["replayed"] is True and first["replayed"] is False
    assert "(replayed)" in faultctl("inject", "xid", "48", "--node", NODE, "--idempotency-key", marker, "--message", marker, check=0).stdout
    faultctl("clear", first["fault_id"], "--node", NODE, check=0)


def test_inject_sxid_on_an_nvswitch_link(api, marker):
    fault = json_of("inject", "sxid", "12028", "--node", NODE, "--nvswitch", "0", "--link", "3", "--first", "--ttl", "90s", "--message", marker)

    assert (fault["kind"], fault["code"], fault["nvswitch"], fault["link"]) == ("sxid", 12028, 0, 3)
    assert "nvidia-nvswitch0: SXid (PCI:0000:05:00.0): 12028, " in fault["line"] and "(First)" in fault["line"]
    faultctl("clear", fault["fault_id"], "--node", NODE, check=0)
    assert fault_state(api, fault["fault_id"])["state"] == "cleared"


def test_selector_injects_on_count_nodes_and_clear_all_ends_them(api, marker):
    injection = json_of("inject", "xid", "79", "--selector", "pool=a", "--count", "2", "--idempotency-key", marker, "--message", marker)

    assert injection["count"] == 2 and injection["node_selector"] == "pool=a"
    assert {f["node_name"] for f in injection["faults"]} == {NODE, SECOND_NODE}

    cleared = json.loads(faultctl("clear", "--all", "--reason", marker, "--output", "json", check=0).stdout)

    assert {f["fault_id"] for f in injection["faults"]} <= {f["fault_id"] for f in cleared}
    assert all(fault_state(api, f["fault_id"], f["node_name"])["state"] == "cleared" for f in injection["faults"])
    assert json_of("faults", "--active")["faults"] == []


def test_bad_xid_is_one_problem_line_and_exit_3():
    result = faultctl("inject", "xid", "9999", "--node", NODE, check=API_ERROR)

    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("faultctl: 400 Invalid request") and "errors: xid:" in line


def test_sxid_without_its_link_is_a_usage_error():
    result = faultctl("inject", "sxid", "12028", "--node", NODE, "--nvswitch", "0", check=USAGE)

    assert "--link" in result.stderr and "Run 'faultctl inject sxid --help' for usage." in result.stderr


def test_unknown_node_is_a_404_line_naming_it():
    result = faultctl("inject", "xid", "79", "--node", "no-such-node", check=API_ERROR)

    assert result.stderr.startswith("faultctl: 404 ") and "no-such-node" in result.stderr


def test_wrong_token_is_a_401_line():
    result = faultctl("faults", env={"FAULT_INJECTION_TOKEN": "not-a-token-of-this-api"}, check=API_ERROR)

    assert result.stderr.startswith("faultctl: 401 ")


def test_unreachable_api_is_exit_4_naming_the_address():
    result = faultctl("nodes", "--api", "http://127.0.0.1:1", check=UNREACHABLE)

    assert result.stderr.startswith("faultctl: cannot use the FaultApi at http://127.0.0.1:1/")


def test_api_variable_that_is_no_address_is_a_usage_error():
    result = faultctl("nodes", env={"FAULT_INJECTION_API": "ftp://example"}, check=USAGE)

    assert "FAULT_INJECTION_API" in result.stderr


def test_stop_refuses_injections_until_released(api, marker):
    fault = json_of("inject", "xid", "79", "--node", NODE, "--message", marker)
    try:
        engaged = faultctl("stop", "--reason", f"faultctl test {marker}", check=0).stdout

        assert engaged.startswith("emergency stop ENGAGED by ")
        assert f"faultctl test {marker}" in engaged.splitlines()[0]
        refused = faultctl("inject", "xid", "79", "--node", NODE, check=API_ERROR)
        assert refused.stderr.startswith("faultctl: 423 ") and "stopped_by:" in refused.stderr
        shown = json_of("stop", "--show")
        assert shown["engaged"] is True and all(agent["acknowledged"] for agent in shown["agents"])
        assert fault_state(api, fault["fault_id"])["state"] == "expired"
    finally:
        released = faultctl("release", "--reason", "all clear", check=0).stdout
    assert released.startswith("emergency stop released")
    again = json_of("inject", "xid", "79", "--node", NODE, "--dry-run")
    assert again["status"] == "dry_run"


def test_stop_without_a_reason_is_a_usage_error_and_changes_nothing():
    result = faultctl("stop", check=USAGE)

    assert "--reason" in result.stderr
    assert json_of("stop", "--show")["engaged"] is False


def test_bug_report_download_saves_the_checked_archive(tmp_path):
    result = json.loads(faultctl("bug-report", "--node", NODE, "--download", str(tmp_path), "--output", "json", check=0).stdout)

    report, path = result["report"], result["path"]
    assert report["status"] == "succeeded"
    assert os.path.dirname(path) == str(tmp_path)
    assert re.fullmatch(rf"{NODE}_{report['id']}_nvidia-bug-report\.log\.gz", os.path.basename(path))
    data = open(path, "rb").read()
    assert hashlib.sha256(data).hexdigest() == report["sha256"] == result["download"]["sha256"]
    assert len(data) == result["download"]["bytes"] == report["size_bytes"]
    assert gzip.decompress(data)
    assert [p.name for p in tmp_path.iterdir()] == [os.path.basename(path)]  # no partial file left


def test_bug_report_of_an_unknown_report_is_a_404_line(tmp_path):
    result = faultctl("bug-report", "--node", NODE, "--id", "no-such-report", "--download", check=API_ERROR, cwd=tmp_path)

    assert result.stderr.startswith("faultctl: 404 ")
    assert list(tmp_path.iterdir()) == []


def test_drill_in_static_mode_is_the_501_line():
    result = faultctl("drill", "run", "--node", NODE, "--xid", "79", "--expect", "cordon", "--follow", check=API_ERROR)

    assert result.stderr.startswith("faultctl: 501 Drills need Kubernetes")


EXAMPLE_SUITE = os.path.join(os.path.dirname(__file__), "..", "..", "examples", "suites", "nvsentinel-smoke.yaml")


def test_suite_run_of_the_example_in_static_mode_is_the_501_line_and_writes_no_report(tmp_path):
    # The installed tool reads the example's YAML and sends it; the local run routes statically, where suites are a 501.
    report = tmp_path / "out.xml"
    result = faultctl("suite", "run", "-f", EXAMPLE_SUITE, "--junit", str(report), check=API_ERROR)

    assert result.stderr.startswith("faultctl: 501 Suites need Kubernetes")
    assert len(result.stderr.splitlines()) == 1
    assert not report.exists()


def test_suite_file_with_an_unknown_field_is_a_usage_error_naming_it(tmp_path):
    suite = tmp_path / "suite.yaml"
    suite.write_text("name: typo\ndrills:\n  - node_name: gpu-node-001\n    xid: 79\n    expects: [cordon]\n")

    result = faultctl("suite", "run", "-f", str(suite), check=USAGE)

    assert result.stderr == f"faultctl: {suite}: at drills[0]: unknown field 'expects'\n"


def test_xid_types_lists_the_catalog():
    catalog = json_of("xid-types")

    assert 79 in [x["xid"] for x in catalog["xids"]] and 12028 in [s["sxid"] for s in catalog["sxids"]]
    assert re.search(r"^xid\s+79\s", faultctl("xid-types", check=0).stdout, re.MULTILINE)


def test_inject_xid_on_the_dcgm_surface_sets_field_230_and_clear_takes_it_back(api, marker):
    fault = json_of("inject", "xid", "79", "--node", NODE, "--gpu", "2", "--surface", "kmsg,dcgm", "--message", marker)

    assert fault["surfaces"] == ["kmsg", "dcgm"]
    [write] = fault["dcgm_writes"]
    assert (write["field_id"], write["value"], write["read_back"]) == (230, "79", "79")
    faultctl("clear", fault["fault_id"], "--node", NODE, check=0)
    [restored] = fault_state(api, fault["fault_id"])["dcgm_writes"]
    assert restored["restore_state"] == "restored"


def test_drill_surface_with_an_sxid_is_a_usage_error():
    result = faultctl("drill", "run", "--node", NODE, "--sxid", "12028", "--nvswitch", "0", "--link", "3", "--expect", "cordon", "--surface", "dcgm", check=USAGE)

    assert "--surface goes with --xid" in result.stderr
