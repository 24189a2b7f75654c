"""Writes the 'Xid 144-150 Decode' sheet of NVSentinel's embedded Xid-Catalog.xlsx as xid_144_150_decode.tsv.

Ours, not NVSentinel's. Usage: python3 extract_nvl5_sheet.py Xid-Catalog.xlsx COMMIT > xid_144_150_decode.tsv
(the xlsx from health-monitors/syslog-health-monitor/pkg/common/ of NVIDIA/NVSentinel at COMMIT). Every row of the sheet
after its header, the columns NVSentinel's parseNVL5Row reads (A, B, C, D, E, F, K) by column letter as it does, a
newline in a cell written as \\n.
"""

import hashlib
import re
import sys
import xml.etree.ElementTree as ET
import zipfile

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
COLUMNS = ["A", "B", "C", "D", "E", "F", "K"]


def main():
    path, commit = sys.argv[1], sys.argv[2]
    data = open(path, "rb").read()
    book = zipfile.ZipFile(path)
    shared = [''.join(t.text or '' for t in si.iter("{%s}t" % NS["m"]))
              for si in ET.fromstring(book.read("xl/sharedStrings.xml")).findall("m:si", NS)]
    rels = {r.get("Id"): r.get("Target") for r in ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))}
    sheet = next(s for s in ET.fromstring(book.read("xl/workbook.xml")).find("m:sheets", NS) if s.get("name") == "Xid 144-150 Decode")
    rows = ET.fromstring(book.read("xl/" + rels[sheet.get("{%s}id" % NS["r"])])).find("m:sheetData", NS)
    print("# The 'Xid 144-150 Decode' sheet of Xid-Catalog.xlsx (NVIDIA's Xid catalog, embedded in NVIDIA/NVSentinel at")
    print("# health-monitors/syslog-health-monitor/pkg/common/Xid-Catalog.xlsx, snapshot commit %s," % commit)
    print("# SHA-256 %s), written by extract_nvl5_sheet.py: the rows after the header, columns %s." % (hashlib.sha256(data).hexdigest(), " ".join(COLUMNS)))
    print("\t".join(COLUMNS))
    for index, row in enumerate(rows):
        if index == 0:
            continue
        cells = {}
        for cell in row:
            column = re.match(r"[A-Z]+", cell.get("r")).group(0)
            value = cell.find("m:v", NS)
            if cell.get("t") == "s" and value is not None:
                cells[column] = shared[int(value.text)]
            elif cell.get("t") == "inlineStr":
                cells[column] = ''.join(t.text or '' for t in cell.iter("{%s}t" % NS["m"]))
            elif value is not None:
                cells[column] = value.text
        print("\t".join(cells.get(c, "").replace("\\", "\\\\").replace("\n", "\\n") for c in COLUMNS))


if __name__ == "__main__":
    main()
