package alerts

import (
	"fmt"
	"strings"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/cases"
)

// wording is how a channel's people read an alert, in their language.
type wording struct {
	titles map[activities.AlertKind]string
	// headline: title, marketplace, shop id.
	headline                         string
	caseL, severity, issue, deadline string
}

var wordings = map[string]wording{
	cases.LangEN: {
		titles: map[activities.AlertKind]string{activities.AlertNewCase: "New bad review", activities.AlertReminder: "Deadline near",
			activities.AlertBreach: "Deadline breached", activities.AlertIncident: "Incident", "order_risk": "Order at risk"},
		headline: "%s: %s shop %s", caseL: "Case", severity: "Severity", issue: "Issue", deadline: "Deadline",
	},
	cases.LangES: {
		titles: map[activities.AlertKind]string{activities.AlertNewCase: "Nueva reseña negativa", activities.AlertReminder: "Plazo por vencer",
			activities.AlertBreach: "Plazo vencido", activities.AlertIncident: "Incidente", "order_risk": "Pedido en riesgo"},
		headline: "%s: %s, tienda %s", caseL: "Caso", severity: "Gravedad", issue: "Problema", deadline: "Plazo",
	},
	cases.LangPT: {
		titles: map[activities.AlertKind]string{activities.AlertNewCase: "Nova avaliação negativa", activities.AlertReminder: "Prazo perto do fim",
			activities.AlertBreach: "Prazo estourado", activities.AlertIncident: "Incidente", "order_risk": "Pedido em risco"},
		headline: "%s: %s, loja %s", caseL: "Caso", severity: "Gravidade", issue: "Problema", deadline: "Prazo",
	},
	cases.LangZH: {
		titles: map[activities.AlertKind]string{activities.AlertNewCase: "新差评", activities.AlertReminder: "即将超时",
			activities.AlertBreach: "已超时", activities.AlertIncident: "异常", "order_risk": "订单风险"},
		headline: "%s：%s 店铺 %s", caseL: "工单", severity: "严重程度", issue: "问题类型", deadline: "时限",
	},
}

func wordingFor(lang string) wording {
	if w, ok := wordings[lang]; ok {
		return w
	}
	return wordings[cases.LangEN]
}

// headline is one line naming the alert and its shop.
func headline(lang string, a activities.Alert) string {
	w := wordingFor(lang)
	title, ok := w.titles[a.Kind]
	if !ok {
		title = string(a.Kind)
	}
	return fmt.Sprintf(w.headline, title, a.Marketplace, a.ShopID)
}

// details are the alert's facts, one per line, without empty ones.
func details(lang string, a activities.Alert) []string {
	w := wordingFor(lang)
	var out []string
	add := func(label, v string) {
		if v != "" {
			out = append(out, label+": "+v)
		}
	}
	add(w.caseL, a.CaseID)
	add(w.severity, string(a.Severity))
	add(w.issue, string(a.Issue))
	add(w.deadline, string(a.Deadline))
	return out
}

// plainText is the alert as text: headline, message, facts.
func plainText(lang string, a activities.Alert) string {
	parts := []string{headline(lang, a)}
	if a.Message != "" {
		parts = append(parts, a.Message)
	}
	return strings.Join(append(parts, details(lang, a)...), "\n")
}

// markdown is the alert in the Markdown subset DingTalk and WeCom share.
func markdown(lang string, a activities.Alert) string {
	var b strings.Builder
	b.WriteString("**" + headline(lang, a) + "**\n")
	if a.Message != "" {
		b.WriteString(a.Message + "\n")
	}
	for _, d := range details(lang, a) {
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
