package api

import "strings"

// caseIDOf derives the case from a task id (<caseID>-<kind>-<n>) or an
// incident id (<caseID>-<step>). Case ids ("cs_…") hold no hyphen, so a task
// created a moment ago can be acted on before its row reaches the index.
func caseIDOf(childID string) (string, bool) {
	caseID, rest, ok := strings.Cut(childID, "-")
	if !ok || rest == "" || !validCaseID(caseID) {
		return "", false
	}
	return caseID, true
}

func validCaseID(id string) bool {
	body, ok := strings.CutPrefix(id, "cs_")
	if !ok || body == "" || len(body) > 64 {
		return false
	}
	for _, r := range body {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
