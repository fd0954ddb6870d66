package cases

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// TemplatePurpose is what an outgoing text is for.
type TemplatePurpose string

const (
	PurposeFirstContact TemplatePurpose = "first_contact"
	PurposeRemedyOffer  TemplatePurpose = "remedy_offer"
	PurposeFollowUp     TemplatePurpose = "follow_up"
	PurposePublicReply  TemplatePurpose = "public_reply"
	PurposeAppeal       TemplatePurpose = "appeal"
)

// TemplatePurposes lists every purpose in a stable order.
var TemplatePurposes = []TemplatePurpose{PurposeFirstContact, PurposeRemedyOffer, PurposeFollowUp, PurposePublicReply, PurposeAppeal}

// TemplateVars fill a template.
type TemplateVars struct {
	Issue    Issue
	Remedy   RemedyType // for remedy_offer
	Amount   Money      // coupon/refund/compensation amount, if any
	Currency string
	ShopName string
}

// Errors Render wraps.
var (
	ErrTemplateInput    = errors.New("template input invalid")
	ErrTemplateNoFit    = errors.New("no template variant fits the platform")
	ErrTemplateRejected = errors.New("rendered template refused by the compliance guard")
)

// Kind returns the kind of text a purpose produces, for CheckText.
func (p TemplatePurpose) Kind() TextKind {
	switch p {
	case PurposePublicReply:
		return TextPublicReply
	case PurposeAppeal:
		return TextAppeal
	}
	return TextMessage
}

// Render returns the text for the purpose, marketplace, issue and language
// (unknown languages fall back to en), fitted to the platform's limit for
// the purpose's kind and already passed through CheckText. When the full
// text is too long it drops the signature, then falls back to the short
// variant; it never cuts a sentence. Mercado Libre messages are sent in
// ISO-8859-1, so a Chinese message there falls back to English.
func Render(p TemplatePurpose, m Marketplace, lang string, v TemplateVars) (string, error) {
	if !m.Valid() {
		return "", fmt.Errorf("%w: unknown marketplace %q", ErrTemplateInput, m)
	}
	if !v.Issue.Valid() {
		return "", fmt.Errorf("%w: unknown issue %q", ErrTemplateInput, v.Issue)
	}
	if v.Amount < 0 {
		return "", fmt.Errorf("%w: negative amount %s", ErrTemplateInput, v.Amount)
	}
	rules := RulesFor(m)
	kind := p.Kind()
	if kind == TextPublicReply && !rules.PublicReply {
		return "", fmt.Errorf("%w: %s has no public reply channel", ErrTemplateInput, m)
	}
	if _, ok := textFrames[lang]; !ok {
		lang = LangEN
	}
	if kind == TextMessage && rules.MessageCharset == "ISO-8859-1" && lang == LangZH {
		lang = LangEN
	}
	variants, err := templateVariants(p, lang, v)
	if err != nil {
		return "", err
	}
	gc := GuardContext{OffersRemedy: p == PurposeRemedyOffer}
	limit := LimitFor(rules, kind)
	for _, text := range variants {
		if utf8.RuneCountInString(text) > limit {
			continue
		}
		if vs := CheckText(rules, kind, text, gc); len(vs) > 0 {
			return "", fmt.Errorf("%w: %s %s/%s: %s", ErrTemplateRejected, p, m, lang, violationList(vs))
		}
		return text, nil
	}
	return "", fmt.Errorf("%w: %s on %s in %s exceeds %d characters", ErrTemplateNoFit, p, m, lang, limit)
}

func violationList(vs []Violation) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = v.Rule + " (" + v.Message + ")"
	}
	return strings.Join(parts, "; ")
}

// templateVariants returns the candidate texts, the preferred one first.
func templateVariants(p TemplatePurpose, lang string, v TemplateVars) ([]string, error) {
	f := textFrames[lang]
	signature := ""
	if shop := strings.TrimSpace(v.ShopName); shop != "" {
		signature = strings.ReplaceAll(f.signature, "{shop}", shop)
	}
	fill := func(frame, sig string) string {
		return strings.NewReplacer(
			"{apology}", issueApology[lang][v.Issue],
			"{noun}", issueNoun[lang][v.Issue],
			"{signature}", sig,
		).Replace(frame)
	}
	withAndWithoutSignature := func(frame string) []string {
		if signature == "" {
			return []string{fill(frame, "")}
		}
		return []string{fill(frame, signature), fill(frame, "")}
	}
	switch p {
	case PurposeFirstContact:
		return withAndWithoutSignature(f.firstContact), nil
	case PurposeFollowUp:
		return withAndWithoutSignature(f.followUp), nil
	case PurposeRemedyOffer:
		sentence, ok := remedySentence[lang][v.Remedy]
		if !ok {
			return nil, fmt.Errorf("%w: remedy_offer needs a known remedy, got %q", ErrTemplateInput, v.Remedy)
		}
		sentence = strings.ReplaceAll(sentence, "{amount}", amountPhrase(lang, v.Amount, v.Currency))
		return withAndWithoutSignature(strings.ReplaceAll(f.remedyOffer, "{remedy}", sentence)), nil
	case PurposePublicReply:
		if v.Remedy == RemedyApology {
			return []string{fill(f.publicApology, ""), fill(f.publicApologyShort, "")}, nil
		}
		return []string{fill(f.publicReply, ""), fill(f.publicReplyShort, "")}, nil
	case PurposeAppeal:
		if v.Issue == IssueSuspectedMalicious {
			return []string{fill(f.appealMalicious, "")}, nil
		}
		return []string{strings.ReplaceAll(fill(f.appeal, ""), "{fact}", appealFact[lang][v.Issue])}, nil
	}
	return nil, fmt.Errorf("%w: unknown purpose %q", ErrTemplateInput, p)
}

// amountPhrase formats an amount for a remedy sentence: " (15.00 BRL)" in
// Latin languages, "15.00元" in Chinese; "" without an amount.
func amountPhrase(lang string, amount Money, currency string) string {
	if amount <= 0 {
		return ""
	}
	currency = strings.ToUpper(strings.TrimSpace(currency))
	if lang == LangZH {
		if currency == "" || currency == "CNY" || currency == "RMB" {
			return amount.String() + "元"
		}
		return amount.String() + " " + currency
	}
	if currency == "" {
		return " (" + amount.String() + ")"
	}
	return " (" + amount.String() + " " + currency + ")"
}
