// Package slices stands in for the standard library's slices package (Go 1.21) on Debian 12's Go 1.19, with the two
// functions gpud's xid.go calls, written to the standard library's documented behaviour. Not gpud's code.
package slices

import "sort"

// Clone returns a shallow copy of s (nil for nil), as slices.Clone.
func Clone[S ~[]E, E any](s S) S {
	if s == nil {
		return nil
	}
	return append(S([]E{}), s...)
}

// Sort sorts s in ascending order, as slices.Sort.
func Sort[S ~[]E, E ~string](s S) {
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
}
