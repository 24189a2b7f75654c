#!/usr/bin/env python3
"""Writes the procfs test trees (tests/FaultAgent.Tests/TestData/proc/...) from the real information files in
/work/shared/samples/proc_information_samples.txt (the simulated nodes of run-local.sh: tools/make_simulated_nodes.py).
The driver's renderer is seq_printf("Model: \\t\\t %s\\n", "IRQ:   \\t\\t %d\\n", "GPU UUID: \\t %s\\n", ...)."""
import os, shutil

repo = os.path.join(os.path.dirname(__file__), "..")
td = os.path.join(repo, "tests", "FaultAgent.Tests", "TestData", "proc")

def driver_format(model, irq, uuid, vbios, bus_type, dma_size, dma_mask, bus, minor, firmware=None, excluded="No"):
    s = (f"Model: \t\t {model}\nIRQ:   \t\t {irq}\nGPU UUID: \t {uuid}\nVideo BIOS: \t {vbios}\nBus Type: \t {bus_type}\n"
         f"DMA Size: \t {dma_size} bits\nDMA Mask: \t {dma_mask}\nBus Location: \t {bus}\nDevice Minor: \t {minor}\n")
    if firmware:
        s += f"GPU Firmware: \t {firmware}\n"
    s += f"GPU Excluded:\t {excluded}\n"
    return s

def write(root, pci, text, newline="\n"):
    d = os.path.join(root, "driver", "nvidia", "gpus", pci)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "information"), "w", newline=newline) as f:
        f.write(text)

# Verbatim real samples (terminal copies with spaces, and the tab-preserving ones).
H100 = """Model:           NVIDIA H100 80GB HBM3
IRQ:             10
GPU UUID:        GPU-9221d5d1-b60b-a624-bf14-0a1819cfda3b
Video BIOS:      96.00.99.00.01
Bus Type:        PCIe
DMA Size:        52 bits
DMA Mask:        0xfffffffffffff
Bus Location:    0000:62:00.0
Device Minor:    5
GPU Firmware:    535.129.03
GPU Excluded:    No
"""
V100 = """Model:           Tesla V100-SXM2-16GB
IRQ:             408
GPU UUID:        GPU-edfee158-11c1-52b8-0517-92f30e7fac88
Video BIOS:      88.00.41.00.01
Bus Type:        PCIe
DMA Size:        47 bits
DMA Mask:        0x7fffffffffff
Bus Location:    0000:06:00.0
Device Minor:    0
GPU Excluded:    No
"""
A10G = "Model: \t\t NVIDIA A10G\nIRQ:   \t\t 42\nGPU UUID: \t GPU-82523fd8-3897-f599-d088-ccd04ae45ec1\nVideo BIOS: \t 94.04.42.00.01\nBus Type: \t PCIe\nDMA Size: \t 47 bits\nDMA Mask: \t 0x7fffffffffff\nBus Location: \t 0000:00:1e.0\nDevice Minor: \t 3\nGPU Excluded: \t No\n"
RTX3090 = "Model: \t\t NVIDIA GeForce RTX 3090\nIRQ:   \t\t 77\nGPU UUID: \t GPU-eaf23aa1-4d3d-596c-da66-b86b0e5db584\nVideo BIOS: \t 94.02.26.40.81\nBus Type: \t PCI\nDMA Size: \t 47 bits\nDMA Mask: \t 0x7fffffffffff\nBus Location: \t 0000:01:00.0\nDevice Minor: \t 0\nGPU Firmware: \t 590.48.01\nGPU Excluded:\t No\n"
GTX650 = """Model:           GeForce GTX 650
IRQ:             44
GPU UUID:        GPU-e3f822b9-8c5f-95a5-b379-8dfdeefd7758
Video BIOS:      80.07.35.00.80
Bus Type:        PCIe
DMA Size:        40 bits
DMA Mask:        0xffffffffff
Bus Location:    0000:04:00.0
"""
RTX4090 = "Model:  NVIDIA GeForce RTX 4090\nBus Location: 0000:01:00.0\nDevice Minor: 0\nGPU Excluded: No\n"

# An 8-GPU HGX H100 node: the real H100 file, with the bus addresses of an HGX board.
H100_BUSES = ["18", "2a", "3a", "5d", "9a", "ab", "ba", "db"]
H100_UUIDS = ["GPU-9221d5d1-b60b-a624-bf14-0a1819cfda3b", "GPU-3c1e4a77-0d52-1b9e-6a1f-52c0e8b1a2d4",
              "GPU-7f0a2b19-6e44-4c1d-93b8-0c2f5d6e7a81", "GPU-a41c9e02-58d3-2f7b-b1e6-4d9c0a3f6b27",
              "GPU-509665ad-b600-ac93-3616-d754b23d636d", "GPU-c2d8e6f1-7a39-4b05-8e2c-91f3a7d04b5e",
              "GPU-1b7e3d90-c4a2-5f68-0d9b-e2a65c18f4d3", "GPU-e8f5a1c3-2b7d-6e40-9c1a-73d0b4f92e68"]
H100_IRQS = [10, 11, 12, 13, 14, 15, 16, 17]

def h100_node(root):
    for i, bus in enumerate(H100_BUSES):
        pci = f"0000:{bus}:00.0"
        write(root, pci, driver_format("NVIDIA H100 80GB HBM3", H100_IRQS[i], H100_UUIDS[i], "96.00.99.00.01", "PCIe", 52,
                                       "0xfffffffffffff", pci, i, "535.129.03"))

for sub in ["h100x8", "real-samples", "azure", "crlf", "malformed", "duplicates"]:
    shutil.rmtree(os.path.join(td, sub), ignore_errors=True)

h100_node(os.path.join(td, "h100x8"))
# NVSwitches of an HGX H100 board, in the driver's layout (kernel-open/nvidia/procfs_nvswitch.c): a permissions file and
# devices/<dddd:bb:dd.f>/information holding only "BIOS Version: ..."; the driver numbers them in PCI probe order.
os.makedirs(os.path.join(td, "h100x8", "driver", "nvidia-nvswitch"), exist_ok=True)
with open(os.path.join(td, "h100x8", "driver", "nvidia-nvswitch", "permissions"), "w") as f:
    f.write("DeviceFileMode: 438\n")
for bus in ["05", "06", "07", "08"]:
    d = os.path.join(td, "h100x8", "driver", "nvidia-nvswitch", "devices", f"0000:{bus}:00.0")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "information"), "w") as f:
        f.write("BIOS Version: 96.10.55.00.01\n")

rs = os.path.join(td, "real-samples")
write(rs, "0000:62:00.0", H100)
write(rs, "0000:06:00.0", V100)
write(rs, "0000:00:1e.0", A10G)
write(rs, "0000:04:00.0", GTX650)

az = os.path.join(td, "azure")
write(az, "0001:00:00.0", V100.replace("0000:06:00.0", "0001:00:00.0"))
write(az, "0002:00:00.0", V100.replace("0000:06:00.0", "00000002:00:00.0").replace("Device Minor:    0", "Device Minor:    1")
      .replace("GPU-edfee158-11c1-52b8-0517-92f30e7fac88", "GPU-edfee158-11c1-52b8-0517-92f30e7fac89"))

write(os.path.join(td, "crlf"), "0000:01:00.0", RTX3090, newline="\r\n")

mf = os.path.join(td, "malformed")
write(mf, "0000:01:00.0", RTX4090)
write(mf, "0000:02:00.0", "this is not an information file\n")
os.makedirs(os.path.join(mf, "driver", "nvidia", "gpus", "0000:03:00.0"), exist_ok=True)
with open(os.path.join(mf, "driver", "nvidia", "gpus", "0000:03:00.0", "README"), "w") as f:
    f.write("directory without an information file\n")

dup = os.path.join(td, "duplicates")
write(dup, "0000:01:00.0", RTX3090)
write(dup, "0000:06:00.0", V100)
write(dup, "0000:62:00.0", H100)

print("ok")
