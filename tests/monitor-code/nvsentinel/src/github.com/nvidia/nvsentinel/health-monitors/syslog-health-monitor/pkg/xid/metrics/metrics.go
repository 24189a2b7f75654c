// Stand-in for health-monitors/syslog-health-monitor/pkg/xid/metrics of NVIDIA/NVSentinel (Prometheus counters, a
// module this machine cannot fetch): the one counter csv.go increments, counting nothing. Not NVSentinel's code.
package metrics

type counter struct{}

func (counter) Inc() {}

type counterVec struct{}

func (counterVec) WithLabelValues(...string) counter { return counter{} }

// XidProcessingErrors is incremented by csv.go when an Xid code does not parse.
var XidProcessingErrors counterVec
