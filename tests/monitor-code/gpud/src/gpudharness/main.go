// Harness (ours, not gpud's): reads a JSON array of kernel-log message texts on stdin (what gpud's /dev/kmsg watcher
// hands its components: the text after the record header's ';'), runs gpud's own xid.Match and sxid.Match on each — the
// calls its xid and sxid components make per message (components/accelerator/nvidia/{xid,sxid}/component.go) — and
// writes one JSON verdict per message, in order, as a JSON array on stdout.
package main

import (
	"encoding/json"
	"os"

	"github.com/leptonai/gpud/components/accelerator/nvidia/sxid"
	"github.com/leptonai/gpud/components/accelerator/nvidia/xid"
)

type xidVerdict struct {
	Xid           int      `json:"xid"`
	DeviceUUID    string   `json:"device_uuid"`
	EventType     string   `json:"event_type"`
	RepairActions []string `json:"repair_actions"`
	SubCode       int      `json:"sub_code"`
}

type sxidVerdict struct {
	SXid          int      `json:"sxid"`
	DeviceUUID    string   `json:"device_uuid"`
	EventType     string   `json:"event_type"`
	RepairActions []string `json:"repair_actions"`
}

type verdict struct {
	Xid  *xidVerdict  `json:"xid"`
	SXid *sxidVerdict `json:"sxid"`
}

func main() {
	var messages []string
	if err := json.NewDecoder(os.Stdin).Decode(&messages); err != nil {
		os.Stderr.WriteString("gpudharness: " + err.Error() + "\n")
		os.Exit(2)
	}
	verdicts := make([]verdict, 0, len(messages))
	for _, message := range messages {
		var v verdict
		if e := xid.Match(message); e != nil {
			x := &xidVerdict{Xid: e.Xid, DeviceUUID: e.DeviceUUID, RepairActions: []string{}}
			if e.Detail != nil {
				x.EventType = string(e.Detail.EventType)
				x.SubCode = e.Detail.SubCode
				if e.Detail.SuggestedActionsByGPUd != nil {
					for _, a := range e.Detail.SuggestedActionsByGPUd.RepairActions {
						x.RepairActions = append(x.RepairActions, string(a))
					}
				}
			}
			v.Xid = x
		}
		if e := sxid.Match(message); e != nil {
			s := &sxidVerdict{SXid: e.SXid, DeviceUUID: e.DeviceUUID, RepairActions: []string{}}
			if e.Detail != nil {
				s.EventType = string(e.Detail.EventType)
				if e.Detail.SuggestedActionsByGPUd != nil {
					for _, a := range e.Detail.SuggestedActionsByGPUd.RepairActions {
						s.RepairActions = append(s.RepairActions, string(a))
					}
				}
			}
			v.SXid = s
		}
		verdicts = append(verdicts, v)
	}
	if err := json.NewEncoder(os.Stdout).Encode(verdicts); err != nil {
		os.Exit(2)
	}
}
