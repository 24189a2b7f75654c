// Package slog stands in for the standard library's log/slog (Go 1.21) on Debian 12's Go 1.19, with the three calls
// NVSentinel's parsing code makes; it logs nothing (the harness's stdout is its answer). Not NVSentinel's code.
package slog

func Debug(msg string, args ...any) {}

func Info(msg string, args ...any) {}

func Warn(msg string, args ...any) {}
