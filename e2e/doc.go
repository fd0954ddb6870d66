// Package e2e holds end-to-end tests that drive Redress through its HTTP API
// against the real stack; see main_test.go.
package e2e
