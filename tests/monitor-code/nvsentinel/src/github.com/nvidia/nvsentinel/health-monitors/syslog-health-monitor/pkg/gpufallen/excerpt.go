// Copyright (c) 2025, NVIDIA CORPORATION.  All rights reserved.
//
// Licensed under the Apache License, Version 2.0 (the "License");
// you may not use this file except in compliance with the License.
// You may obtain a copy of the License at
//
//	http://www.apache.org/licenses/LICENSE-2.0
//
// Unless required by applicable law or agreed to in writing, software
// distributed under the License is distributed on an "AS IS" BASIS,
// WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
// See the License for the specific language governing permissions and
// limitations under the License.
// Excerpt of NVIDIA/NVSentinel at 0f6073182b2544cf696a81a7b03d37136f199b9e, verbatim: health-monitors/syslog-health-monitor/pkg/gpufallen/types.go lines 26-38 and 59-64
// (reGPUFallenPattern, rePCIIDPattern, gpuFallenErrorEvent) and health-monitors/syslog-health-monitor/pkg/gpufallen/gpufallen_handler.go lines 175-208
// (parseGPUFallenError). GPUFallenHandler's state (the recent-Xid window, which only suppresses an event after an Xid
// line naming the same PCI string) is left out: hasRecentXID answers false. ParseForHarness at the end is ours.

package gpufallen

import (
	"regexp"

	"github.com/nvidia/nvsentinel/health-monitors/syslog-health-monitor/pkg/common"
)

var (
	// Pattern to match GPU falling off the bus errors
	// This is most likely a single journal line that may contain newlines within it
	// Example: "[ 1843.308145] NVRM: The NVIDIA GPU 0000:b3:00.0\n"
	//          "               NVRM: (PCI ID: 10de:26b5) installed in this system has\n"
	//          "               NVRM: fallen off the bus and is not responding to commands."
	// The pattern uses (?s) flag to match across newlines within the single journal entry
	reGPUFallenPattern = regexp.MustCompile(
		`(?s)NVRM: The NVIDIA GPU ([0-9a-fA-F:.]+).*?fallen off the bus and is not responding to commands`)

	// Pattern to extract PCI ID from the full error message
	rePCIIDPattern = regexp.MustCompile(`PCI ID: ([0-9a-fA-F:]+)`)
)

// gpuFallenErrorEvent represents a parsed GPU fallen off bus error event
type gpuFallenErrorEvent struct {
	pciAddr string
	pciID   string
	message string
}

type GPUFallenHandler struct{}

func (h *GPUFallenHandler) hasRecentXID(pciAddr string) bool { return false }

func (h *GPUFallenHandler) parseGPUFallenError(message string) *gpuFallenErrorEvent {
	// First check if this message itself contains "Xid" in same message
	// If it has XID error it should be handled by XID handler
	if common.XIDPattern.MatchString(message) {
		return nil
	}

	m := reGPUFallenPattern.FindStringSubmatch(message)
	if len(m) < 2 {
		return nil
	}

	pciAddr := m[1]

	// Check if this PCI address has had a recent XID error
	// If so, skip generating an event to avoid duplicates with XID handler
	if h.hasRecentXID(pciAddr) {
		return nil
	}

	// Try to extract PCI ID if present in the message
	pciID := ""
	pciIDMatch := rePCIIDPattern.FindStringSubmatch(message)

	if len(pciIDMatch) >= 2 {
		pciID = pciIDMatch[1]
	}

	return &gpuFallenErrorEvent{
		pciAddr: pciAddr,
		pciID:   pciID,
		message: message,
	}
}

// ParseForHarness (ours) calls parseGPUFallenError and returns the PCI address and PCI ID it read.
func ParseForHarness(message string) (found bool, pciAddr string, pciID string) {
	e := (&GPUFallenHandler{}).parseGPUFallenError(message)
	if e == nil {
		return false, "", ""
	}
	return true, e.pciAddr, e.pciID
}
