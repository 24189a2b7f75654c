"""Harness (ours, not Konduktor's): runs Konduktor's own controller code on kernel-log lines.

Reads {"records": [[dmesg line, ...], ...]} (each record's lines as `dmesg -w` prints them: Konduktor's DaemonSet
ships that output to Loki line by line) on stdin and writes one verdict per record as a JSON array: whether a line
passes the LogQL line filter dmesg_errors() sends (constants.DMESG_ERROR_REGEXES joined with " or "; the patterns are
RE2 between backquotes, evaluated here with Python's re, which reads these three the same way), whether
parse.is_sxid_error() calls it an (S)Xid error, and the code parse.sxid_error() extracts with the two patterns
is_sxid_error() tries, in its order.
"""

import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from konduktor.controller import constants, parse  # noqa: E402


def verdict(lines):
    for line in lines:
        if not any(re.search(p.strip("`"), line) for p in constants.DMESG_ERROR_REGEXES):
            continue
        code = parse.sxid_error(r"SXid.*?: (\d+),", line) or parse.sxid_error(r"NVRM: Xid.*?: (\d+),", line)
        return {"flagged": True, "sxid_error": parse.is_sxid_error(line), "code": code, "line": line}
    return {"flagged": False, "sxid_error": False, "code": 0, "line": None}


def main():
    records = json.load(sys.stdin)["records"]
    json.dump([verdict(r) for r in records], sys.stdout)


if __name__ == "__main__":
    main()
