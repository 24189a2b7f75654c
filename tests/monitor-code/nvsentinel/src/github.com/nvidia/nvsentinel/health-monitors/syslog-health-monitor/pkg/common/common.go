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
// Excerpt of health-monitors/syslog-health-monitor/pkg/common/common.go of NVIDIA/NVSentinel at 0f6073182b2544cf696a81a7b03d37136f199b9e (read from the fork rupalis-nv/NVSentinel):
// lines 32-34 and 67-113 (XIDPattern, MapActionStringToProto, NVL5DecodingRule) and 219-239 (IsDriverVersionR575OrNewer),
// verbatim. The rest reads the embedded Xid-Catalog.xlsx with github.com/thedatashed/xlsxreader, a module this machine
// cannot fetch; the harness builds the same map from tests/FaultApi.Tests/TestData/nvsentinel_xid_catalog.tsv (that sheet, quoted).

package common

import (
	"log/slog"
	"strconv"
	"strings"

	pb "github.com/nvidia/nvsentinel/data-models/pkg/protos"
	"github.com/nvidia/nvsentinel/health-monitors/syslog-health-monitor/pkg/patterns"
)

// XIDPattern is the canonical pattern for detecting XID errors.
// Re-exported from the patterns package for convenience.
var XIDPattern = patterns.XIDPattern

// MapActionStringToProto maps action strings to protobuf RecommendedAction values using generated protobuf map
func MapActionStringToProto(s string) pb.RecommendedAction {
	s = strings.ToUpper(strings.TrimSpace(s))

	if value, exists := pb.RecommendedAction_value[s]; exists {
		return pb.RecommendedAction(value)
	}

	switch s {
	// XID_154_EVAL: the guidance is that if an XID 154 is seen along with this error, take that action.
	// If no XID 154 present, RESTART_APP. Since each XID is acted on, the recommendation for XID 154 will be
	// applied as a part of the XID 154 cycle therefore we don't need lookback/lookforward for the XID. Hence
	// XID_154_EVAL is considered equivalent to RESTART_APP.
	case "RESTART_APP", "IGNORE", "XID_154_EVAL":
		return pb.RecommendedAction_NONE
	// RECOVER_FEATURE_RESET_GPU: power-smoothing feature recovery (XID 163);
	// trigger guidance is "reload the driver or reset the GPU" — same proto
	// target as the RESET_GPU bucket.
	case "WORKFLOW_XID_48", "RESET_GPU", "RECOVER_FEATURE_RESET_GPU":
		return pb.RecommendedAction_COMPONENT_RESET
	// WORKFLOW_XID_168: WPR/ECC config issue (XID 168). Catalog guidance is
	// "either ECC should be enabled (to enable row-remapping) or boot
	// re-attempted with shifted WPR" — reboot the VM so init can re-attempt
	// with a shifted Write-Protect-Region.
	case "WORKFLOW_XID_168", "RESET_FABRIC":
		return pb.RecommendedAction_RESTART_VM
	default:
		slog.Warn("Unknown action string, defaulting to CONTACT_SUPPORT", "action", s)
		return pb.RecommendedAction_CONTACT_SUPPORT
	}
}

// NVL5DecodingRule represents a rule for NVL5 XID decoding (144-150) from the Excel sheet.
//
// Both the V1 (driver < R575) and V2 (driver >= R575) IntrInfo binary patterns are
// retained so the matcher can pick the correct one per message based on the driver
// version resolved at processing time, rather than baking a single column in at load
// time (which would be wrong if the driver version was unavailable at startup).
type NVL5DecodingRule struct {
	XIDNumber        int
	IntrInfoBinaryV1 string   // Column C: binary pattern for driver < R575
	IntrInfoBinaryV2 string   // Column D: binary pattern for driver >= R575
	ErrorStatusHex   []string // List of error status values as strings
	Resolution       string
	Severity         string
	Mnemonic         string
}


// IsDriverVersionR575OrNewer checks if the NVIDIA driver version is R575 or newer.
// NVIDIA driver versions follow the format "MAJOR.MINOR.PATCH" (e.g., "570.148.08").
// The R575 threshold means major version >= 575.
// semver is not used here because the driver version is not a semantic version
func IsDriverVersionR575OrNewer(version string) bool {
	// Extract major version (first component before the first dot)
	parts := strings.SplitN(version, ".", 2)
	if len(parts) == 0 {
		return false
	}

	majorVersion, err := strconv.Atoi(parts[0])
	if err != nil {
		slog.Warn("Failed to parse driver major version", "version", version, "error", err)
		return false
	}

	return majorVersion >= 575
}

