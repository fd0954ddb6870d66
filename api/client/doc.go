// Package client is a Go client of the Redress API generated from
// api/openapi.json by oapi-codegen (pinned as a tool in go.mod). It exists
// to prove the document is usable as written: e2e drives a case with it.
package client

//go:generate go tool oapi-codegen -config oapi-codegen.yaml ../openapi.json
