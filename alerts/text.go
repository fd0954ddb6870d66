package alerts

import (
	"fmt"
	"strings"

	"github.com/redress-hq/redress/activities"
)

// kindTitles name each kind of alert for people.
var kindTitles = map[activities.AlertKind]string{
	activities.AlertNewCase:  "New bad review",
	activities.AlertReminder: "Deadline near",
	activities.AlertBreach:   "Deadline breached",
	activities.AlertIncident: "Incident",
	"order_risk":             "Order at risk",
}

// headline is one line naming the alert and its shop.
func headline(a activities.Alert) string {
	title, ok := kindTitles[a.Kind]
	if !ok {
		title = string(a.Kind)
	}
	return fmt.Sprintf("%s: %s shop %s", title, a.Marketplace, a.ShopID)
}

// details are the alert's facts, one per line, without empty ones.
func details(a activities.Alert) []string {
	var out []string
	add := func(label, v string) {
		if v != "" {
			out = append(out, label+": "+v)
		}
	}
	add("Case", a.CaseID)
	add("Severity", string(a.Severity))
	add("Issue", string(a.Issue))
	add("Deadline", string(a.Deadline))
	return out
}

// plainText is the alert as text: headline, message, facts.
func plainText(a activities.Alert) string {
	parts := []string{headline(a)}
	if a.Message != "" {
		parts = append(parts, a.Message)
	}
	return strings.Join(append(parts, details(a)...), "\n")
}

// markdown is the alert in the Markdown subset DingTalk, WeCom and Slack share.
func markdown(a activities.Alert) string {
	var b strings.Builder
	b.WriteString("**" + headline(a) + "**\n")
	if a.Message != "" {
		b.WriteString(a.Message + "\n")
	}
	for _, d := range details(a) {
		b.WriteString("> " + d + "\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// cutBytes keeps s within n bytes without splitting a character (WeCom
// counts its limits in UTF-8 bytes).
func cutBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func utf8RuneStart(b byte) bool { return b&0xC0 != 0x80 }
