// Package slices stands in for the standard library's slices package (Go 1.21) on Debian 12's Go 1.19, with the one
// function NVSentinel's xid_handler.go calls, written to the standard library's documented behaviour. Not NVSentinel's code.
package slices

// Contains reports whether v is present in s, as slices.Contains.
func Contains[S ~[]E, E comparable](s S, v E) bool {
	for _, e := range s {
		if e == v {
			return true
		}
	}
	return false
}
