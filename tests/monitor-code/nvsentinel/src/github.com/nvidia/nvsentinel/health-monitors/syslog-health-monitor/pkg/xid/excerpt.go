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
// Excerpt of NVIDIA/NVSentinel at 0f6073182b2544cf696a81a7b03d37136f199b9e, verbatim: health-monitors/syslog-health-monitor/pkg/xid/types.go lines 26-29 (reNvrmMap, gpuResetMap) and
// health-monitors/syslog-health-monitor/pkg/xid/xid_handler.go lines 130-160 (parseGPUResetLine, parseNVRMGPUMapLine, normalizePCI, determineFatality):
// what ProcessLine (lines 90-127) does with a line before and after its parser. XIDHandler's other fields are left out.

package xid

import (
	"regexp"
	"slices"
	"strings"

	pb "github.com/nvidia/nvsentinel/data-models/pkg/protos"
)

var (
	reNvrmMap   = regexp.MustCompile(`NVRM: GPU at PCI:([0-9a-fA-F:.]+): (GPU-[0-9a-fA-F-]+)`)
	gpuResetMap = regexp.MustCompile(`GPU reset executed: (GPU-[0-9a-fA-F-]+), success: (true|false)`)
)

type XIDHandler struct{}

func (xidHandler *XIDHandler) parseGPUResetLine(message string) (uuid string, success bool) {
	m := gpuResetMap.FindStringSubmatch(message)
	if len(m) >= 3 {
		return m[1], m[2] == "true"
	}

	return "", false
}

func (xidHandler *XIDHandler) parseNVRMGPUMapLine(message string) (string, string) {
	m := reNvrmMap.FindStringSubmatch(message)
	if len(m) >= 3 {
		return m[1], m[2]
	}

	return "", ""
}

func (xidHandler *XIDHandler) normalizePCI(pci string) string {
	if idx := strings.Index(pci, "."); idx != -1 {
		return pci[:idx]
	}

	return pci
}

func (xidHandler *XIDHandler) determineFatality(recommendedAction pb.RecommendedAction) bool {
	return !slices.Contains([]pb.RecommendedAction{
		pb.RecommendedAction_NONE,
	}, recommendedAction)
}

// ForHarness (ours) exposes the handler's helpers to the harness.
var ForHarness = &XIDHandler{}

func (xidHandler *XIDHandler) MapLine(message string) (string, string) { return xidHandler.parseNVRMGPUMapLine(message) }

func (xidHandler *XIDHandler) ResetLine(message string) (string, bool) { return xidHandler.parseGPUResetLine(message) }

func (xidHandler *XIDHandler) NormalizePCI(pci string) string { return xidHandler.normalizePCI(pci) }

func (xidHandler *XIDHandler) IsFatal(action pb.RecommendedAction) bool { return xidHandler.determineFatality(action) }
