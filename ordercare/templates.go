package ordercare

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/redress-hq/redress/cases"
)

// Template placeholders: {tracking}, {carrier}, {expected} (a date). A
// segment in square brackets is dropped when a placeholder in it has no
// value (no expected date known, no carrier), so no sentence is left half
// filled.
var defaultTemplates = map[Touchpoint]map[string]string{
	TouchShipped: {
		cases.LangEN: "Hello! Your order is on its way[ with {carrier}][, tracking number {tracking}].[ Expected delivery: {expected}.] You can follow it in your purchases. If anything comes up, just write to us here.",
		cases.LangES: "¡Hola! Tu pedido ya está en camino[ con {carrier}][, número de seguimiento {tracking}].[ Entrega prevista: {expected}.] Puedes seguirlo en tus compras. Si surge algo, escríbenos por aquí.",
		cases.LangPT: "Olá! Seu pedido já está a caminho[ com {carrier}][, código de rastreio {tracking}].[ Entrega prevista: {expected}.] Você pode acompanhar em suas compras. Se precisar de algo, fale conosco por aqui.",
		cases.LangZH: "您好!您的订单已发出[,承运商{carrier}][,运单号{tracking}]。[预计{expected}送达。]可在订单详情中查看物流。如有任何问题请随时联系我们。",
	},
	TouchDayBefore: {
		cases.LangEN: "Hello! Your order should arrive tomorrow, on {expected}. If anything is not right when it arrives, write to us here and we will help.",
		cases.LangES: "¡Hola! Tu pedido debería llegar mañana, el {expected}. Si algo no está bien cuando llegue, escríbenos por aquí y te ayudamos.",
		cases.LangPT: "Olá! Seu pedido deve chegar amanhã, dia {expected}. Se algo não estiver certo quando chegar, fale conosco por aqui que ajudamos.",
		cases.LangZH: "您好!您的订单预计明天即{expected}送达,如有任何问题请随时联系我们。",
	},
	TouchDelivered: {
		cases.LangEN: "Thank you for your purchase! We hope everything arrived well. If you have any question about your order, we are here to help.",
		cases.LangES: "¡Gracias por tu compra! Esperamos que todo haya llegado bien. Si tienes cualquier duda sobre tu pedido, estamos para ayudarte.",
		cases.LangPT: "Obrigado pela sua compra! Esperamos que tudo tenha chegado bem. Se tiver qualquer dúvida sobre o pedido, estamos aqui para ajudar.",
		cases.LangZH: "感谢您的购买,希望商品令您满意,如有任何问题我们随时为您服务。",
	},
}

// TrackingInText says whether a platform's messages may carry the tracking
// number. Mercado Libre's moderation reads long digit runs as PERSONAL_DATA,
// and Mercado Envíos shows the tracking in the buyer's purchase already, so
// its shipped message points there instead.
func TrackingInText(m cases.Marketplace) bool { return m != cases.MercadoLibre }

var optionalSegment = regexp.MustCompile(`\[([^\[\]]*)\]`)

// fill replaces placeholders, dropping optional segments with an empty one.
func fill(text string, vars map[string]string) string {
	text = optionalSegment.ReplaceAllStringFunc(text, func(seg string) string {
		inner := seg[1 : len(seg)-1]
		for k, v := range vars {
			if v == "" && strings.Contains(inner, "{"+k+"}") {
				return ""
			}
		}
		return inner
	})
	for k, v := range vars {
		text = strings.ReplaceAll(text, "{"+k+"}", v)
	}
	return text
}

// DefaultTemplate returns the built-in text of a touchpoint in a language
// (English when the language has none).
func DefaultTemplate(t Touchpoint, lang string) (string, bool) {
	byLang, ok := defaultTemplates[t]
	if !ok {
		return "", false
	}
	if s, ok := byLang[lang]; ok {
		return s, true
	}
	return byLang[cases.LangEN], true
}

// RenderTouchpoint fills a template with the shipment and passes the result
// through the compliance guard for the marketplace. Mercado Libre writes in
// ISO-8859-1: a Chinese text there falls back to Spanish. A text the guard
// refuses or doubts is an error: touchpoints are automatic, and automation
// never sends a text a person would have to approve.
func RenderTouchpoint(m cases.Marketplace, t Touchpoint, lang, override string, sh Shipment, loc *time.Location) (string, error) {
	if m == cases.MercadoLibre && lang == cases.LangZH {
		lang = cases.LangES
	}
	text := override
	if text == "" {
		var ok bool
		if text, ok = DefaultTemplate(t, lang); !ok {
			return "", fmt.Errorf("no template for touchpoint %s", t)
		}
	}
	expected := ""
	if sh.ExpectedAt != nil {
		if loc == nil {
			loc = time.UTC
		}
		expected = sh.ExpectedAt.In(loc).Format("2006-01-02")
	}
	tracking := sh.TrackingNumber
	if !TrackingInText(m) {
		tracking = ""
	}
	if t == TouchDayBefore && expected == "" {
		return "", fmt.Errorf("the day-before message needs the expected date")
	}
	text = strings.TrimSpace(fill(text, map[string]string{"tracking": tracking, "carrier": sh.Carrier, "expected": expected}))
	if strings.ContainsAny(text, "{}[]") {
		return "", fmt.Errorf("template has an unknown placeholder or an unclosed segment")
	}
	if err := guardWith(m, text, sh.TrackingNumber); err != nil {
		return "", err
	}
	return text, nil
}

// GuardError is a text the compliance guard refused or doubted.
type GuardError struct{ Verdict cases.Verdict }

func (e *GuardError) Error() string {
	var rules []string
	for _, v := range append(append([]cases.Violation{}, e.Verdict.Violations...), e.Verdict.Doubts...) {
		rules = append(rules, v.Rule+": "+v.Message)
	}
	return "compliance guard: " + strings.Join(rules, "; ")
}

// Guard screens an automatic buyer message: violations and doubts both stop it.
func Guard(m cases.Marketplace, text string) error { return guardWith(m, text, "") }

// guardWith screens a text that carries the order's own tracking number. The
// guard's contact-data rule exempts the order's own number from the phone
// pattern; a tracking number is the same kind of identifier of this order, so
// it is passed in that place (exactly those digits, nothing else, are exempt).
//
// Order care never asks about reviews, on any platform (Amazon's official
// solicitation carries no text of ours): touchpoints are screened as if the
// platform forbade review requests, which makes the guard refuse any ask
// about a rating, not only the ones tied to a benefit.
func guardWith(m cases.Marketplace, text, tracking string) error {
	rules := cases.RulesFor(m)
	rules.ForbidsReviewChangeRequest = true
	v := cases.ScreenText(rules, cases.TextMessage, text, cases.GuardContext{OrderID: tracking})
	if !v.Clean() {
		return &GuardError{Verdict: v}
	}
	return nil
}
