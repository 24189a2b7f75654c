#!/usr/bin/env python3
"""Regenerates src/FaultAgent/Xids/XidCatalog.tsv and SxidCatalog.tsv: one command per catalogue update.

    tools/generate_xid_catalog.py [SAMPLES_DIR] [--nverror PATH/TO/nverror.h]

Facts (numbers, names, mnemonics, resolution buckets) come from NVIDIA's public Xid catalog and the Fabric Manager
user guide as transcribed in SAMPLES_DIR (default ../shared/samples beside the repository: xid_catalog_table.tsv,
sxid_catalog_fm_user_guide_via_gpud.tsv). Xids the driver defines but the catalogue does not list yet are named from
the driver's nverror.h (NVIDIA open-gpu-kernel-modules, src/common/sdk/nvidia/inc/nverror.h): with --nverror, every
"#define NAME (N)" above the catalogue's last Xid up to ROBUST_CHANNEL_LAST_ERROR is added; without it, the numbers
and names recorded in NVERROR_NAMES below (595.45.04) are used. Message bodies follow real driver lines
(real_xid_lines.txt) where one exists, otherwise the catalogue's name. Every Xid record is written at level 4: the
driver prints NVRM lines without a KERN_ level (nv_printf), so they land at the default (warning).
"""
import argparse, os, re, sys

here = os.path.dirname(os.path.abspath(__file__))
parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("samples", nargs="?", help="the samples folder (default: ../shared/samples beside the repository, or beside "
                    "the main checkout when this is a git worktree)")
parser.add_argument("--nverror", help="path to the driver's nverror.h, to name Xids the catalogue does not list yet")
parser.add_argument("--check", action="store_true", help="write nothing; exit 1 (naming the files) if the committed catalogues differ from what would be generated")
args = parser.parse_args()


def default_samples():
    candidates = [os.path.join(here, "..", "..", "shared", "samples")]
    try:  # a git worktree: beside the main checkout, whose .git is the common dir
        import subprocess
        common = subprocess.run(["git", "-C", here, "rev-parse", "--path-format=absolute", "--git-common-dir"],
                                capture_output=True, text=True, check=True).stdout.strip()
        candidates.append(os.path.join(os.path.dirname(os.path.dirname(common)), "shared", "samples"))
    except (OSError, subprocess.CalledProcessError):
        pass
    for candidate in candidates:
        if os.path.isfile(os.path.join(candidate, "xid_catalog_table.tsv")):
            return candidate
    sys.exit("no samples folder found (looked in %s); name it: tools/generate_xid_catalog.py SAMPLES_DIR" % ", ".join(map(os.path.abspath, candidates)))


samples = args.samples or default_samples()
committed_dir = os.path.join(here, "..", "src", "FaultAgent", "Xids")
if args.check:
    import tempfile
    out_dir = tempfile.mkdtemp(prefix="xid-catalog-")
else:
    out_dir = committed_dir

# Xids the published catalogue does not list yet, as nverror.h names them, and the first open-gpu-kernel-modules
# release whose nverror.h defines them.
NVERROR_NAMES = {
    173: ("C2C_FATAL_LINK_FAILURE", "580.105.08"),
    174: ("ROBUST_CHANNEL_RESETCHANNEL_KILL_PROCESS_SILENT", "590.44.01"),
    175: ("MEMORY_SUBSYSTEM_ERROR", "595.45.04"),
    176: ("PCIE_CORRECTABLE_ERROR_FAULT", "595.45.04"),
}
# Readable names for those mnemonics (what the driver's name says; NVIDIA has published no description yet).
NVERROR_TITLES = {
    "C2C_FATAL_LINK_FAILURE": "C2C fatal link failure",
    "ROBUST_CHANNEL_RESETCHANNEL_KILL_PROCESS_SILENT": "Channel reset: process killed silently",
    "MEMORY_SUBSYSTEM_ERROR": "Memory subsystem error",
    "PCIE_CORRECTABLE_ERROR_FAULT": "PCIe correctable error fault",
}
# Recommended action for them until NVIDIA's catalogue gives one: fatal-looking ones as their nearest catalogued kin.
NVERROR_ACTIONS = {173: "RESTART_BM", 174: "RESTART_APP", 175: "COMPONENT_RESET", 176: "NONE"}

# Realistic bodies as the driver prints them after "<xid>, " (pid/name part excluded).
MESSAGES = {
    8: "Ch 00000010, errorString CTX SWITCH TIMEOUT, Info 0x4c008",
    11: "Ch 00000008, intr 00000000, Invalid or corrupted push buffer stream",
    13: "Graphics SM Warp Exception on (GPC 7, TPC 7, SM 0): Illegal Instruction Parameter",
    25: "Ch 00000008, Graphics Exception: Illegal notify",
    31: "Ch 00000008, intr 00000000. MMU Fault: ENGINE GRAPHICS GPCCLIENT_T1_8 faulted @ 0x7f3a_1c000000. Fault is of type FAULT_PDE ACCESS_TYPE_VIRT_WRITE",
    32: "Channel ID 00000052 intr 02000000",
    37: "Ch 00000008, FECS unimplemented firmware method 0x0000004c",
    38: "Ch 00000008, FECS watchdog timeout",
    39: "Ch 00000008, CE0 Copy Engine Exception: launch error",
    40: "Ch 00000008, CE1 Copy Engine Exception: launch error",
    41: "Ch 00000008, CE2 Copy Engine Exception: launch error",
    42: "Ch 00000008, VIC engine exception",
    43: "Ch 00000008",
    44: "Ch 00000008, Graphics Engine fault during context switch",
    45: "Ch 00000008",
    46: "Ch 00000008, GPU stopped processing: timeout waiting for engine idle",
    48: "An uncorrectable double bit error (DBE) has been detected on GPU in the framebuffer at physAddr 0x7fffa8860 partition 7, subpartition 1.",
    54: "Auxiliary power is not connected to the GPU board",
    56: "Display engine channel exception: CORE channel 0, error 0x1",
    57: "Error programming video memory interface",
    58: "Unstable video memory interface detected",
    59: "Internal micro-controller error",
    60: "Ch 00000008, SEC2 exception",
    61: "PMU breakpoint. (PC 0x6c8e, Timeout 0x0)",
    62: "223b6a66 00002100 00000000 20662342 20662ba6 20664272 2065f7ca 2063f48c",
    63: "Row Remapper: New row (0x0000000e9b9107e0) marked for remapping, reset gpu to activate.",
    64: "Row Remapper: Failed to remap row (0x0000000e9b9107e0), row remapper table is full.",
    66: "Ch 00000008, FECS register access violation",
    67: "Ch 00000008, FECS verification violation",
    68: "NVDEC0 Exception: Ch 00000008, error 0x00000001",
    69: "Class Error: ChId 0008, Class 0000c7c0, Offset 00000210, Data 00000000, ErrorCode 0000000c",
    74: "NVLink: fatal error detected on link 14(0x0, 0x0, 0x10000, 0x0, 0x0, 0x0, 0x0)",
    78: "vGPU Start Error: vGPU instance failed to start",
    79: "GPU has fallen off the bus.",
    80: "Ch 00000008, PBDMA pushbuffer CRC mismatch",
    92: "High single-bit ECC error rate detected on GPU in the framebuffer",
    93: "InfoROM wear limit exceeded: non-fatal violation of provisioned erase limit",
    94: "Contained: SM (0x1). RST: No, D-RST: No",
    95: "Uncontained: FBHUB. RST: Yes, D-RST: No",
    106: "SMBPBI Test Message",
    107: "SMBPBI Test Message Silent",
    109: "Ch 00000008, errorString CTX SWITCH TIMEOUT, Info 0x58005",
    110: "Security Fault Error: ENGINE SEC2 fault 0x00000001",
    119: "Timeout after 6s of waiting for RPC response from GPU0 GSP! Expected function 103 (GSP_RM_ALLOC) (0x2081 0x4).",
    120: "GSP kernel exception: store access page fault (cause:0xf) @ pc:0xffffffff93003d42, partition:4#0",
    121: "C2C Link 0 error: corrected error on link (0x00000001)",
    136: "Link Training Failed on link 4 (ALI training failure)",
    137: "NVLink FLA privilege error: Ch 00000008",
    140: "An uncorrectable ECC error detected (possible firmware handling failure) DRAM:0, LTC:0, MMU:0, PCIE:0",
    143: "GPU Initialization Failure: GSP firmware boot failed (0x00000062)",
    144: "SAW_MVB Nonfatal XC0 i0 Link 0 (0x00000001 0x00000008 0x00000000 0x00000000 0x00000000 0x00000000)",
    145: "RLW_RXPIPE Nonfatal XC0 i0 Link 13 (0x0409a0c2 0x00000008 0x00000001 0x00000000 0x00100000 0x00000004)",
    146: "TLW_TX Nonfatal XC0 i0 Link 2 (0x00000010 0x00000000 0x00000000 0x00000000 0x00000000 0x00000000)",
    147: "TREX_RX Fatal XC0 i0 Link 5 (0x00000004 0x00000000 0x00000000 0x00000000 0x00000000 0x00000000)",
    148: "NVLPW_CTRL Fatal XC0 i0 Link 7 (0x00000002 0x00000000 0x00000000 0x00000000 0x00000000 0x00000000)",
    149: "NETIR_LINK_EVT Fatal XC0 i0 Link 01 (0x021425c6 0x00000000 0x00000000 0x00000000 0x00000000 0x00000000)",
    150: "MSE_WATCHDOG Fatal XC0 i0 Link 3 (0x00000001 0x00000000 0x00000000 0x00000000 0x00000000 0x00000000)",
    154: "GPU recovery action changed from 0x0 (None) to 0x1 (GPU Reset Required)",
    155: "NVLink SW defined error on link 3 (0x00000001)",
    156: "Resource Retirement Event: retired resource 0x00000001",
    157: "Resource Retirement Failure: failed to retire resource 0x00000001",
    158: "GPU Fatal Timeout: engine GR0 timed out",
    159: "CHI Non-Data Error: Ch 00000008",
    160: "Channel Retirement Event: Ch 00000008 retired",
    161: "Channel Retirement Failure: Ch 00000008",
    167: "PCIE fatal timeout detected",
    171: "GDDR, Uncorrectable DRAM error in FBPA 3 subpartition 0 physAddr 0xe9b9107e0",
    172: "Uncorrectable SRAM error in L2 slice 4 (LTC 2)",
}

# Catalog immediate-action bucket -> NVSentinel-style recommended action.
ACTION = {
    "RESTART_APP": "RESTART_APP", "RESET_GPU": "COMPONENT_RESET", "RESTART_BM": "RESTART_BM",
    "RESTART_VM": "RESTART_VM", "IGNORE": "NONE", "CONTACT_SUPPORT": "CONTACT_SUPPORT",
    "CHECK_MECHANICALS": "CONTACT_SUPPORT", "UPDATE_SWFW": "CONTACT_SUPPORT", "CHECK_UVM": "RESTART_APP",
    "WORKFLOW_XID_45": "NONE", "WORKFLOW_XID_48": "COMPONENT_RESET", "WORKFLOW_NVLINK_ERR": "COMPONENT_RESET",
    "WORKFLOW_NVLINK5_ERR": "COMPONENT_RESET", "XID_154": "NONE",
}
# Where NVSentinel's syslog-health-monitor mapping (distros/kubernetes/nvsentinel/files/xiderrorsmapping.csv:
# xid, mnemonic, resolution, FATAL|NONFATAL) differs from the catalogue's immediate action, NVSentinel wins: it is the
# monitor drills validate. Everywhere else the two agree once mapped (UNEXPECTED_ERR_REPORT_ISSUE = CONTACT_SUPPORT;
# FATAL = CONTACT_SUPPORT/RESET_GPU/RESTART_BM/RESTART_VM/CHECK_MECHANICALS/UPDATE_SWFW/WORKFLOW_XID_48/NVLINK workflows).
NVSENTINEL_OVERRIDES = {160: "RESTART_BM", 162: "COMPONENT_RESET"}
# Newest entries whose catalogue row has no immediate action.
EXTRA_ACTION = {162: "NONE", 163: "NONE", 164: "NONE", 165: "CONTACT_SUPPORT", 166: "CONTACT_SUPPORT",
                167: "RESTART_BM", 168: "COMPONENT_RESET", 169: "COMPONENT_RESET", 170: "CONTACT_SUPPORT",
                171: "COMPONENT_RESET", 172: "COMPONENT_RESET"}

def clean(s):
    s = s.replace("\u2013", "-").replace("\u2019", "'").replace("\t", " ").strip()
    return s

rows = []
for line in open(os.path.join(samples, "xid_catalog_table.tsv"), encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    cols = line.rstrip("\n").split("\t")
    cols += [""] * (7 - len(cols))
    xid = int(cols[0]); doc_name = clean(cols[1]); mnemonic = clean(cols[3]); desc = clean(cols[4]); action = clean(cols[5])
    unusable = {"", "Unused", "Reserved"}
    name = desc if desc not in unusable else doc_name
    if name in unusable:
        continue
    if desc in unusable:
        desc = doc_name
    rec = NVSENTINEL_OVERRIDES.get(xid) or ACTION.get(action) or EXTRA_ACTION.get(xid)
    if rec is None:
        raise SystemExit(f"no action mapping for Xid {xid} ({action!r})")
    severity = {"NONE": "Info", "RESTART_APP": "Warning"}.get(rec, "Critical")
    message = MESSAGES.get(xid) or name
    rows.append((xid, name, mnemonic, action or "-", rec, severity, 4, message, "catalog"))

# Xids beyond the catalogue, named from nverror.h.
extra = dict(NVERROR_NAMES)
if args.nverror:
    text = open(args.nverror, encoding="utf-8", errors="replace").read()
    last = re.search(r"#define\s+ROBUST_CHANNEL_LAST_ERROR\s+\((\d+)\)", text)
    defines = {int(n): name for name, n in re.findall(r"#define\s+([A-Z0-9_]+)\s+\((\d+)\)", text)
               if name not in ("ROBUST_CHANNEL_LAST_ERROR",) and not name.startswith("ROBUST_CHANNEL_ERROR_RECOVERY")}
    top = int(last.group(1)) if last else max(defines)
    known = {r[0] for r in rows}
    extra = {n: (defines[n], extra.get(n, (None, "?"))[1]) for n in range(max(known) + 1, top + 1) if n in defines}
known = {r[0] for r in rows}
for xid, (mnemonic, first) in sorted(extra.items()):
    if xid in known:
        continue
    title = NVERROR_TITLES.get(mnemonic) or mnemonic.replace("ROBUST_CHANNEL_", "").replace("_", " ").capitalize()
    rec = NVERROR_ACTIONS.get(xid, "CONTACT_SUPPORT")
    severity = {"NONE": "Info", "RESTART_APP": "Warning"}.get(rec, "Critical")
    name = f"{title} (not in NVIDIA's Xid catalog yet; driver {first} and later)"
    rows.append((xid, name, mnemonic, "-", rec, severity, 4, MESSAGES.get(xid) or title, "nverror.h"))

with open(os.path.join(out_dir, "XidCatalog.tsv"), "w", encoding="ascii", newline="\n") as f:
    f.write("# xid\tname\tmnemonic\tcatalog_immediate_action\trecommended_action\tseverity\tlevel\tdefault_message\tname_source\n")
    for r in rows:
        f.write("\t".join(str(c) for c in r) + "\n")

# NVSentinel's nvswitch-health-monitor mapping (distros/kubernetes/nvsentinel/files/sxiderrorsmapping.csv) for the SXids
# of the FM guide: resolution bucket, FATAL unless IGNORE.
def _r(a, b): return list(range(a, b + 1))
SXID_RESOLUTION = {}
for bucket, numbers in {
    "RESET_FABRIC": [10003, 12020, 12028, 12032, 14017, 19084, 22003, 22011] + _r(23001, 23008) + _r(23010, 23016),
    "CHECK_THERMALS": [10004],
    "CHECK_FM_CONFIG": [11004],
    "WORKFLOW_NVLINK_POTENTIALY_FATAL_ERR": [11001, 11009, 11013, 11018, 11019, 11020, 12001, 12002, 12022] + _r(12024, 12027)
        + [12030, 12031, 15001, 15006, 15009, 15010, 15012, 15013, 19047, 19048, 19054, 19056, 19058, 19060, 19061, 19063,
           19064, 19066, 19067, 19069, 19070, 23009, 23017] + _r(24004, 24006),
    "RESET_GPU": [20034, 24007],
    "CHECK_LINK_MECHANICAL_CONNECTIONS": [20009, 20012],
}.items():
    for n in numbers:
        SXID_RESOLUTION[n] = bucket
SXID_ACTION = {"RESET_GPU": "COMPONENT_RESET"}

srows = []
for line in open(os.path.join(samples, "sxid_catalog_fm_user_guide_via_gpud.tsv"), encoding="utf-8"):
    if line.startswith("#") or not line.strip():
        continue
    cols = line.rstrip("\n").split("\t")
    cols += [""] * (6 - len(cols))
    sxid = int(cols[0]); name = clean(cols[1]); pot = cols[2].strip(); always = cols[3].strip()
    resolution = SXID_RESOLUTION.get(sxid, "IGNORE")
    fatal = resolution != "IGNORE"
    action = SXID_ACTION.get(resolution, resolution) if fatal else "NONE"
    text = name[0].upper() + name[1:]
    # The driver prints "Correctable" for errors the hardware corrected (NVSWITCH_REPORT_CORRECTABLE): the FM guide's
    # single-bit ECC SXids, whose impact reads "the NVSwitch hardware will auto correct the ECC errors".
    impact = cols[4].lower()
    error_class = "Fatal" if fatal else ("Correctable" if "auto correct" in impact else "Non-fatal")
    srows.append((sxid, name, "true" if fatal else "false", action, text, error_class))

with open(os.path.join(out_dir, "SxidCatalog.tsv"), "w", encoding="ascii", newline="\n") as f:
    f.write("# sxid\tname\tfatal\trecommended_action\tdefault_message\tclass\n")
    for r in srows:
        f.write("\t".join(str(c) for c in r) + "\n")
print(len(rows), "xids", len(srows), "sxids")

if args.check:
    import filecmp, shutil
    stale = [name for name in ("XidCatalog.tsv", "SxidCatalog.tsv")
             if not filecmp.cmp(os.path.join(out_dir, name), os.path.join(committed_dir, name), shallow=False)]
    shutil.rmtree(out_dir)
    if stale:
        sys.exit("out of date: %s (run tools/generate_xid_catalog.py)" % ", ".join(stale))
    print("catalogues up to date")
