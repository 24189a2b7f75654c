// Harness (ours, not NVSentinel's): reads {"catalog": <path of nvsentinel_xid_catalog.tsv>, "messages": [{"text":
// journald MESSAGE, "driver": the node's driver version}, ...]} on stdin and runs, per message, what syslog-health-monitor's three kernel-log
// handlers do with it (each is handed every MESSAGE of a _TRANSPORT=kernel journal entry): the XID handler (PCI->UUID map
// line, GPU-reset line, then NVSentinel's own CSVParser.Parse, its fatality rule), the SXID handler's line reading, and
// the GPU-fallen handler's. Writes one verdict per message as a JSON array.
package main

import (
	"bufio"
	"encoding/json"
	"os"
	"strconv"
	"strings"

	"github.com/nvidia/nvsentinel/health-monitors/syslog-health-monitor/pkg/common"
	"github.com/nvidia/nvsentinel/health-monitors/syslog-health-monitor/pkg/gpufallen"
	"github.com/nvidia/nvsentinel/health-monitors/syslog-health-monitor/pkg/sxid"
	"github.com/nvidia/nvsentinel/health-monitors/syslog-health-monitor/pkg/types"
	"github.com/nvidia/nvsentinel/health-monitors/syslog-health-monitor/pkg/xid"
	"github.com/nvidia/nvsentinel/health-monitors/syslog-health-monitor/pkg/xid/parser"
)

type message struct {
	Text   string `json:"text"`
	Driver string `json:"driver"`
}

type input struct {
	Catalog  string    `json:"catalog"`
	NVL5     string    `json:"nvl5"`
	Messages []message `json:"messages"`
}

type xidVerdict struct {
	Number        int               `json:"number"`
	PCIE          string            `json:"pcie_bdf"`
	DecodedXIDStr string            `json:"decoded_xid_string"`
	Resolution    string            `json:"resolution"`
	IsFatal       bool              `json:"is_fatal"`
	Metadata      map[string]string `json:"metadata"`
}

type sxidVerdict struct {
	SXid     int    `json:"sxid"`
	NVSwitch int    `json:"nvswitch"`
	PCI      string `json:"pci"`
	Link     int    `json:"link"`
	IsFatal  bool   `json:"is_fatal"`
}

type verdict struct {
	PCIToUUID string       `json:"pci_to_uuid,omitempty"`
	Xid       *xidVerdict  `json:"xid"`
	SXid      *sxidVerdict `json:"sxid"`
	Fallen    string       `json:"fallen_off_pci,omitempty"`
	Error     string       `json:"error,omitempty"`
}

// loadCatalog builds the Xid -> action map as LoadErrorResolutionMap's processDataRow does from the embedded sheet
// (code, bucket; a row without a bucket skipped; the bucket through MapActionStringToProto).
func loadCatalog(path string) (map[int]types.ErrorResolution, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	m := map[int]types.ErrorResolution{}
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := s.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) < 3 || strings.TrimSpace(cols[2]) == "" {
			continue
		}
		code, err := strconv.Atoi(strings.TrimSpace(cols[0]))
		if err != nil {
			return nil, err
		}
		m[code] = types.ErrorResolution{RecommendedAction: common.MapActionStringToProto(cols[2])}
	}
	return m, s.Err()
}

// loadNVL5Rules reads xid_144_150_decode.tsv (the 'Xid 144-150 Decode' sheet, by column letter) into the rules
// GetNVL5DecodingRules returns. parseNVL5Row's body is transcribed here, not copied: it ranges over strings.SplitSeq
// (Go 1.24), which Go 1.19 cannot compile; strings.Split yields the same elements. A row whose column A is not a
// number is skipped, as there.
func loadNVL5Rules(path string) (map[int][]common.NVL5DecodingRule, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rules := map[int][]common.NVL5DecodingRule{}
	var header []string
	s := bufio.NewScanner(f)
	for s.Scan() {
		line := s.Text()
		if strings.HasPrefix(line, "#") {
			continue
		}
		cells := strings.Split(line, "\t")
		if header == nil {
			header = cells
			continue
		}
		columnValues := map[string]string{}
		for i, cell := range cells {
			columnValues[header[i]] = strings.ReplaceAll(strings.ReplaceAll(cell, "\\n", "\n"), "\\\\", "\\")
		}
		xidCode, err := strconv.Atoi(strings.TrimSpace(columnValues["A"]))
		if err != nil {
			continue
		}
		rule := common.NVL5DecodingRule{XIDNumber: xidCode}
		rule.IntrInfoBinaryV1 = strings.TrimSpace(columnValues["C"])
		rule.IntrInfoBinaryV2 = strings.TrimSpace(columnValues["D"])
		rule.ErrorStatusHex = append(rule.ErrorStatusHex, strings.Split(columnValues["E"], "/")...)
		rule.Resolution = strings.TrimSpace(columnValues["F"])
		rule.Severity = strings.TrimSpace(columnValues["K"])
		rule.Mnemonic = strings.TrimSpace(columnValues["B"])
		rules[rule.XIDNumber] = append(rules[rule.XIDNumber], rule)
	}
	return rules, s.Err()
}

func main() {
	var in input
	if err := json.NewDecoder(os.Stdin).Decode(&in); err != nil {
		os.Stderr.WriteString("nvsentinelharness: " + err.Error() + "\n")
		os.Exit(2)
	}
	resolutions, err := loadCatalog(in.Catalog)
	if err != nil {
		os.Stderr.WriteString("nvsentinelharness: " + err.Error() + "\n")
		os.Exit(2)
	}
	nvl5Rules, err := loadNVL5Rules(in.NVL5)
	if err != nil {
		os.Stderr.WriteString("nvsentinelharness: " + err.Error() + "\n")
		os.Exit(2)
	}
	driver := ""
	p := parser.NewCSVParser("node", resolutions, nvl5Rules, func() string { return driver })
	verdicts := make([]verdict, 0, len(in.Messages))
	for _, m := range in.Messages {
		driver = m.Driver
		message := m.Text
		var v verdict
		// XID handler, ProcessLine's order: the PCI->UUID map line ends there, so does a GPU-reset line.
		if pciID, uuid := xid.ForHarness.MapLine(message); pciID != "" && uuid != "" {
			v.PCIToUUID = xid.ForHarness.NormalizePCI(pciID) + "=" + uuid
		} else if uuid, _ := xid.ForHarness.ResetLine(message); len(uuid) != 0 {
			v.Error = "gpu reset line"
		} else if resp, err := p.Parse(message); err != nil {
			v.Error = err.Error()
		} else if resp != nil && resp.Success {
			action := common.MapActionStringToProto(resp.Result.Resolution)
			v.Xid = &xidVerdict{
				Number: resp.Result.Number, PCIE: resp.Result.PCIE, DecodedXIDStr: resp.Result.DecodedXIDStr,
				Resolution: resp.Result.Resolution, IsFatal: xid.ForHarness.IsFatal(action), Metadata: resp.Result.Metadata,
			}
		}
		// SXID handler.
		if found, nvswitch, pci, code, fatal, link, err := sxid.ExtractForHarness(message); err != nil {
			v.Error = err.Error()
		} else if found {
			v.SXid = &sxidVerdict{SXid: code, NVSwitch: nvswitch, PCI: pci, Link: link, IsFatal: fatal}
		}
		// GPU-fallen handler.
		if found, pci, _ := gpufallen.ParseForHarness(message); found {
			v.Fallen = pci
		}
		verdicts = append(verdicts, v)
	}
	if err := json.NewEncoder(os.Stdout).Encode(verdicts); err != nil {
		os.Exit(2)
	}
}
