#!/usr/bin/env python3
"""Prints every failed test of the given TRX reports (name, message, stack trace) and every error the runner
recorded outside a test (e.g. "[Test Class Cleanup Failure (...)]"), so a CI log names what failed and where."""
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}


def main(paths):
    for path in paths:
        try:
            root = ET.parse(path).getroot()
        except (OSError, ET.ParseError) as error:
            print(f"{path}: unreadable report: {error}")
            continue
        for result in root.iterfind(".//t:UnitTestResult", NS):
            if result.get("outcome") not in ("Failed", "Error", "Timeout", "Aborted"):
                continue
            print(f"FAILED {result.get('testName')} ({result.get('outcome')}, {result.get('duration')})")
            message = result.findtext(".//t:ErrorInfo/t:Message", default="", namespaces=NS)
            stack = result.findtext(".//t:ErrorInfo/t:StackTrace", default="", namespaces=NS)
            print("  " + message.strip().replace("\n", "\n  ")[:4000])
            if stack:
                print("  " + stack.strip().replace("\n", "\n  ")[:4000])
        for info in root.iterfind(".//t:RunInfos/t:RunInfo", NS):
            if info.get("outcome") in ("Error", "Failed"):
                text = info.findtext("t:Text", default="", namespaces=NS)
                print(f"RUN ERROR ({path}):\n  " + text.strip().replace("\n", "\n  ")[:6000])


if __name__ == "__main__":
    main(sys.argv[1:])
