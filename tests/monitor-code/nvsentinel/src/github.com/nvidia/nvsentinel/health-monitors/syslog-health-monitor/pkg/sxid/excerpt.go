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
// Excerpt of NVIDIA/NVSentinel at 0f6073182b2544cf696a81a7b03d37136f199b9e (read from the fork rupalis-nv/NVSentinel), verbatim: health-monitors/syslog-health-monitor/pkg/sxid/types.go
// lines 24-27 and 38-46 (reSXIDPattern, sxidErrorEvent) and health-monitors/syslog-health-monitor/pkg/sxid/sxid_handler.go lines 118-147
// (extractInfoFromNVSwitchErrorMsg, the handler's whole reading of a line). SXIDHandler's fields (protobuf, metadata)
// are left out; ExtractForHarness at the end is ours.

package sxid

import (
	"fmt"
	"regexp"
	"strconv"
)

var (
	reSXIDPattern = regexp.MustCompile(
		`nvidia-nvswitch(\d+): SXid \(PCI:([0-9a-fA-F:.]+)\): (\d+), (Fatal|Non-fatal), Link (\d+) (.+)`)
)

type SXIDHandler struct{}

type sxidErrorEvent struct {
	ErrorNum  int
	IsFatal   bool
	IsHealthy bool
	NVSwitch  int
	PCI       string
	Link      int
	Message   string
}

func (sxidHandler *SXIDHandler) extractInfoFromNVSwitchErrorMsg(line string) (*sxidErrorEvent, error) {
	m := reSXIDPattern.FindStringSubmatch(line)
	if len(m) < 7 {
		return nil, nil
	}

	nvswitch, err := strconv.Atoi(m[1])
	if err != nil {
		return nil, fmt.Errorf("error converting nvswitch ID to int %s: %w", m[1], err)
	}

	errorNum, err := strconv.Atoi(m[3])
	if err != nil {
		return nil, fmt.Errorf("error converting nvswitch SXID to int %s: %w", m[3], err)
	}

	link, err := strconv.Atoi(m[5])
	if err != nil {
		return nil, fmt.Errorf("error converting nvlink ID to int %s: %w", m[5], err)
	}

	return &sxidErrorEvent{
		NVSwitch: nvswitch,
		PCI:      m[2],
		ErrorNum: errorNum,
		IsFatal:  m[4] != "Non-fatal",
		Link:     link,
		Message:  m[6],
	}, nil
}

// ExtractForHarness (ours) calls the handler's extractInfoFromNVSwitchErrorMsg and returns its fields; ProcessLine then
// sets RecommendedAction CONTACT_SUPPORT when IsFatal, else NONE (sxid_handler.go lines 77-80).
func ExtractForHarness(line string) (found bool, nvswitch int, pci string, sxid int, fatal bool, link int, err error) {
	e, err := (&SXIDHandler{}).extractInfoFromNVSwitchErrorMsg(line)
	if e == nil {
		return false, 0, "", 0, false, 0, err
	}
	return true, e.NVSwitch, e.PCI, e.ErrorNum, e.IsFatal, e.Link, err
}
