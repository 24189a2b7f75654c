#!/usr/bin/env python3
"""Writes the data of scripts/run-local.sh's simulated nodes (samples/nodes/<node>/) from the real captures kept beside
them (samples/nodes/<node>/nvidia-smi/), so that each node's /proc tree and its stand-in nvidia-smi describe the same
GPUs. What comes from where is in samples/nodes/README.md. Run from anywhere; rewrites only generated files.

gpu-node-001: an HGX H100 board, from a real `nvidia-smi -q` of 8x H100 80GB HBM3 (driver 535.161.08): the GPUs'
  procfs information files (model, UUID, VBIOS, bus location, minor number, GSP firmware), an idle `pmon` (the capture
  says "Processes : None"), no compute apps; its four NVSwitches at 0000:05-08:00.0.
gpu-node-002: an HGX H200 board, from a real 8x H200 `--query-gpu` / `--query-compute-apps` / `pmon` capture (its
  "After" snapshot, so GPUs, processes and pmon agree): the query table (captured columns as captured, the others filled
  as documented in samples/nodes/README.md), the compute apps and pmon as nvidia-smi prints them with
  csv,noheader,nounits; its four NVSwitches at 0000:01-04:00.0.

The driver's renderers: GPUs seq_printf("Model: \\t\\t %s\\n", "IRQ:   \\t\\t %d\\n", "GPU UUID: \\t %s\\n", ...)
(kernel-open/nvidia/nv-procfs.c); NVSwitches /proc/driver/nvidia-nvswitch/permissions ("DeviceFileMode: 438") and
devices/<dddd:bb:dd.f>/information, which holds only "BIOS Version: %02llx.%02llx.%02llx.%02llx.%02llx" or "N/A"
(kernel-open/nvidia/procfs_nvswitch.c). The driver numbers NVSwitches nvidia-nvswitch<minor> with the lowest free minor
at probe, i.e. in PCI probe order.
"""
import os
import re
import shutil

repo = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
nodes = os.path.join(repo, "samples", "nodes")


def gpu_information(model, irq, uuid, vbios, bus, minor, firmware):
    return (f"Model: \t\t {model}\nIRQ:   \t\t {irq}\nGPU UUID: \t {uuid}\nVideo BIOS: \t {vbios}\nBus Type: \t PCIe\n"
            f"DMA Size: \t 52 bits\nDMA Mask: \t 0xfffffffffffff\nBus Location: \t {bus}\nDevice Minor: \t {minor}\n"
            f"GPU Firmware: \t {firmware}\nGPU Excluded:\t No\n")


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", newline="\n") as f:
        f.write(text)


def proc_tree(node, gpus, switch_buses, switch_bios):
    proc = os.path.join(nodes, node, "proc")
    shutil.rmtree(proc, ignore_errors=True)
    for gpu in gpus:
        write(os.path.join(proc, "driver", "nvidia", "gpus", gpu["bus"], "information"), gpu_information(**gpu))
    write(os.path.join(proc, "driver", "nvidia-nvswitch", "permissions"), "DeviceFileMode: 438\n")
    for bus in switch_buses:
        write(os.path.join(proc, "driver", "nvidia-nvswitch", "devices", f"0000:{bus}:00.0", "information"), f"BIOS Version: {switch_bios}\n")


def procfs_bus(smi_bus):
    """nvidia-smi's 00000000:3B:00.0 -> procfs's 0000:3b:00.0."""
    domain, rest = smi_bus.split(":", 1)
    return f"{domain[-4:]}:{rest}".lower()


def idle_pmon(indices):
    header = ("# gpu         pid   type     sm    mem    enc    dec    jpg    ofa    command\n"
              "# Idx           #    C/G      %      %      %      %      %      %    name\n")
    return header + "".join(f"{i:>5}          -     -      -      -      -      -      -      -    -\n" for i in indices)


# gpu-node-001: 8x H100 from the -q capture.
capture = open(os.path.join(nodes, "gpu-node-001", "nvidia-smi", "nvidia-smi-q.txt")).read()
driver = re.search(r"^Driver Version\s+: (\S+)", capture, re.M).group(1)
h100 = []
for i, section in enumerate(re.split(r"^GPU [0-9A-F]{8}:", capture, flags=re.M)[1:]):
    field = lambda name: re.search(rf"^    {re.escape(name)}\s+: (.*)$", section, re.M).group(1).strip()
    bus = re.search(r"^        Bus Id\s+: (\S+)", section, re.M).group(1)
    h100.append(dict(model=field("Product Name"), irq=10 + i, uuid=field("GPU UUID"), vbios=field("VBIOS Version"),
                     bus=procfs_bus(bus), minor=int(field("Minor Number")), firmware=field("GSP Firmware Version")))
assert len(h100) == 8 and all(g["firmware"] == driver for g in h100)
proc_tree("gpu-node-001", h100, ["05", "06", "07", "08"], "96.10.55.00.01")
smi1 = os.path.join(nodes, "gpu-node-001", "nvidia-smi")
write(os.path.join(smi1, "compute-apps.csv"), "")
write(os.path.join(smi1, "pmon.txt"), idle_pmon(range(8)))

# gpu-node-002: 8x H200 from the query / compute-apps / pmon capture, its "After" snapshot.
lines = open(os.path.join(nodes, "gpu-node-002", "nvidia-smi", "capture.txt")).read().split("\n")
after = lines.index("## After")


def block(starts_with):
    start = next(i for i in range(after, len(lines)) if lines[i].startswith(starts_with))
    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    return lines[start:end]


def without_units(line):
    return line.replace(" MiB", "").replace(" %", "")


rows = [without_units(l).split(", ") for l in block("index, uuid")[1:]]
apps = [without_units(l) for l in block("gpu_uuid, pid")[1:]]
pmon = block("# gpu")
buses = ["18", "2a", "3a", "5d", "9a", "ab", "ba", "db"]
n = len(rows)
each = lambda f: [f(i) for i in range(n)]
table = {
    "index": each(lambda i: rows[i][0]),
    "uuid": each(lambda i: rows[i][1]),
    "name": each(lambda i: "NVIDIA H200"),
    "pci.bus_id": each(lambda i: f"00000000:{buses[i].upper()}:00.0"),
    "driver_version": each(lambda i: "550.127.05"),
    "pstate": each(lambda i: "P0"),
    "temperature.gpu": each(lambda i: str(30 + i)),
    "utilization.gpu": each(lambda i: rows[i][4]),
    "utilization.memory": each(lambda i: "61" if rows[i][4] == "100" else "0"),
    "memory.total": each(lambda i: rows[i][3]),
    "memory.used": each(lambda i: rows[i][2]),
    "memory.free": each(lambda i: str(int(rows[i][3]) - int(rows[i][2]))),
    "power.draw": each(lambda i: "[N/A]" if i == 7 else "512.34"),
    "power.limit": each(lambda i: "700.00"),
    "pcie.link.gen.current": each(lambda i: "5"),
    "pcie.link.gen.max": each(lambda i: "5"),
    "pcie.link.width.current": each(lambda i: "16"),
    "pcie.link.width.max": each(lambda i: "16"),
    "clocks.current.graphics": each(lambda i: "1980"),
    "clocks.current.sm": each(lambda i: "1980"),
    "clocks.current.memory": each(lambda i: "2619"),
    "ecc.errors.corrected.volatile.total": each(lambda i: "0"),
    "ecc.errors.uncorrected.volatile.total": each(lambda i: "2" if i == 3 else "0"),
    "ecc.errors.corrected.aggregate.total": each(lambda i: "0"),
    "ecc.errors.uncorrected.aggregate.total": each(lambda i: "2" if i == 3 else "0"),
    "retired_pages.sbe": each(lambda i: "[N/A]"),
    "retired_pages.dbe": each(lambda i: "[N/A]"),
    "retired_pages.pending": each(lambda i: "[N/A]"),
    "remapped_rows.correctable": each(lambda i: "0"),
    "remapped_rows.uncorrectable": each(lambda i: "1" if i == 3 else "0"),
    "remapped_rows.pending": each(lambda i: "Yes" if i == 3 else "No"),
    "remapped_rows.failure": each(lambda i: "No"),
}
smi2 = os.path.join(nodes, "gpu-node-002", "nvidia-smi")
write(os.path.join(smi2, "query-gpu.tsv"), "".join(k + "\t" + "\t".join(v) + "\n" for k, v in table.items()))
write(os.path.join(smi2, "compute-apps.csv"), "".join(a + "\n" for a in apps))
write(os.path.join(smi2, "pmon.txt"), "".join(l + "\n" for l in pmon))
h200 = [dict(model="NVIDIA H200", irq=10 + i, uuid=rows[i][1], vbios="96.00.A5.00.01", bus=f"0000:{buses[i]}:00.0", minor=i,
             firmware="550.127.05") for i in range(n)]
proc_tree("gpu-node-002", h200, ["01", "02", "03", "04"], "96.10.55.00.01")
print("ok")
