package cases

import (
	"crypto/sha256"
	"encoding/base32"
	"strings"
)

// CaseIDFor derives a case id from the review's identity, so the same review
// always maps to the same case however often and however concurrently it arrives.
func CaseIDFor(m Marketplace, shopID, reviewID string) string {
	sum := sha256.Sum256([]byte(string(m) + "\x00" + shopID + "\x00" + reviewID))
	return "cs_" + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sum[:])[:20])
}

// WorkflowIDFor is the Temporal workflow id of a case.
func WorkflowIDFor(caseID string) string { return "case-" + caseID }
