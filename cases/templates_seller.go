package cases

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// SellerTemplate is a seller's own wording for one purpose on one
// marketplace, in one language, for one issue ("" = every issue). It
// replaces the shipped text; placeholders take the case's values:
// {apology} and {noun} (the issue), {shop} (the shop's display name),
// {remedy} (remedy offers: the remedy and its amount) and {fact} (appeals:
// what the order records show).
type SellerTemplate struct {
	ID       string          `json:"id"`
	Version  int             `json:"version"`
	Purpose  TemplatePurpose `json:"purpose"`
	Issue    Issue           `json:"issue,omitempty"`
	Language string          `json:"language"`
	Body     string          `json:"body"`
}

// SellerTexts are the seller's texts a case opens with: the shop's display
// name and the seller's templates for the case's marketplace, fixed for the
// case's life so a later edit never changes a running case.
type SellerTexts struct {
	ShopName  string           `json:"shop_name,omitempty"`
	Templates []SellerTemplate `json:"templates,omitempty"`
}

// Violation codes of seller templates, beside the guard's Rule* codes.
const (
	RuleUnknownPlaceholder = "unknown_placeholder"
	RuleLanguage           = "language"
	RuleInput              = "invalid"
)

// MaxSellerTemplateChars bounds a template body before its fill-ins.
const MaxSellerTemplateChars = 4000

var placeholderRE = regexp.MustCompile(`\{[^{}\s]{1,30}\}`)

// placeholdersFor lists the placeholders a purpose can fill.
func placeholdersFor(p TemplatePurpose) []string {
	common := []string{"{apology}", "{noun}", "{shop}"}
	switch p {
	case PurposeRemedyOffer:
		return append(common, "{remedy}")
	case PurposeAppeal:
		return append(common, "{fact}")
	}
	return common
}

// renderLanguage is the language Render writes in: unknown languages fall
// back to English, and so do Chinese messages on a Latin-1 platform.
func renderLanguage(p TemplatePurpose, rules PlatformRules, lang string) string {
	if _, ok := textFrames[lang]; !ok {
		lang = LangEN
	}
	if p.Kind() == TextMessage && rules.MessageCharset == "ISO-8859-1" && lang == LangZH {
		lang = LangEN
	}
	return lang
}

// RenderLanguage is the language a case in lang gets its texts in for the
// purpose on the marketplace (what a seller's template must be written in
// to be used there).
func RenderLanguage(p TemplatePurpose, m Marketplace, lang string) string {
	return renderLanguage(p, RulesFor(m), lang)
}

// sellerTemplateFor picks the seller's template for the purpose, issue and
// language: one written for the issue beats one for every issue.
func sellerTemplateFor(own []SellerTemplate, p TemplatePurpose, issue Issue, lang string) *SellerTemplate {
	var general *SellerTemplate
	for i := range own {
		t := &own[i]
		if t.Purpose != p || t.Language != lang {
			continue
		}
		if t.Issue == issue {
			return t
		}
		if t.Issue == "" && general == nil {
			general = t
		}
	}
	return general
}

// fillSeller replaces a seller template's placeholders with the case's values.
func fillSeller(body string, p TemplatePurpose, lang string, v TemplateVars) string {
	remedy := ""
	if p == PurposeRemedyOffer {
		remedy = strings.ReplaceAll(remedySentence[lang][v.Remedy], "{amount}", amountPhrase(lang, v.Amount, v.Currency))
	}
	return strings.NewReplacer(
		"{apology}", issueApology[lang][v.Issue],
		"{noun}", issueNoun[lang][v.Issue],
		"{shop}", strings.TrimSpace(v.ShopName),
		"{remedy}", remedy,
		"{fact}", appealFact[lang][v.Issue],
	).Replace(body)
}

// RenderWith is Render preferring the seller's own template. It returns the
// template it used, or nil when it used the shipped text: the seller has
// none for this purpose, issue and language, or theirs does not fit this
// case (too long once filled in, or refused by the guard).
func RenderWith(own []SellerTemplate, p TemplatePurpose, m Marketplace, lang string, v TemplateVars) (string, *SellerTemplate, error) {
	if m.Valid() && v.Issue.Valid() && (p != PurposeRemedyOffer || remedySentence[LangEN][v.Remedy] != "") {
		rules := RulesFor(m)
		lang := renderLanguage(p, rules, lang)
		if t := sellerTemplateFor(own, p, v.Issue, lang); t != nil {
			text := strings.TrimSpace(fillSeller(t.Body, p, lang, v))
			kind := p.Kind()
			if utf8.RuneCountInString(text) <= LimitFor(rules, kind) &&
				len(CheckText(rules, kind, text, GuardContext{OffersRemedy: p == PurposeRemedyOffer})) == 0 {
				return text, t, nil
			}
		}
	}
	text, err := Render(p, m, lang, v)
	return text, nil, err
}

// CheckSellerTemplate screens a template when it is saved, filled in with
// every issue (and, for remedy offers, every remedy) it can be used with:
// refused lists what would make it fail the compliance guard or the
// platform's limits in some case, so it could never be sent there; doubts
// are what a person will be asked to approve when it is sent.
func CheckSellerTemplate(t SellerTemplate, m Marketplace, shopName string) (refused, doubts []Violation) {
	add := func(list *[]Violation, v Violation) {
		if !slices.ContainsFunc(*list, func(o Violation) bool { return o.Rule == v.Rule }) {
			*list = append(*list, v)
		}
	}
	bad := func(rule, format string, args ...any) []Violation {
		return []Violation{{Rule: rule, Message: fmt.Sprintf(format, args...)}}
	}
	switch {
	case !m.Valid():
		return bad(RuleInput, "unknown marketplace %q", m), nil
	case !slices.Contains(TemplatePurposes, t.Purpose):
		return bad(RuleInput, "unknown purpose %q", t.Purpose), nil
	case t.Issue != "" && !t.Issue.Valid():
		return bad(RuleInput, "unknown issue %q", t.Issue), nil
	case strings.TrimSpace(t.Body) == "":
		return bad(RuleEmpty, "the template is empty"), nil
	case utf8.RuneCountInString(t.Body) > MaxSellerTemplateChars:
		return bad(RuleTooLong, "a template is at most %d characters", MaxSellerTemplateChars), nil
	}
	rules := RulesFor(m)
	kind := t.Purpose.Kind()
	if kind == TextPublicReply && !rules.PublicReply {
		return bad(RuleNoChannel, "%s has no public reply channel", m), nil
	}
	if _, ok := textFrames[t.Language]; !ok {
		return bad(RuleLanguage, "language %q is not one of %s", t.Language, strings.Join(Languages, ", ")), nil
	}
	if got := renderLanguage(t.Purpose, rules, t.Language); got != t.Language {
		return bad(RuleCharset, "%s messages are sent in %s: a %s message is never used there (cases fall back to %s)",
			m, rules.MessageCharset, t.Language, got), nil
	}
	allowed := placeholdersFor(t.Purpose)
	for _, ph := range placeholderRE.FindAllString(t.Body, -1) {
		if !slices.Contains(allowed, ph) {
			add(&refused, Violation{Rule: RuleUnknownPlaceholder, Message: fmt.Sprintf("%s is not a placeholder of %s templates (%s)", ph, t.Purpose, strings.Join(allowed, " "))})
		}
	}
	if len(refused) > 0 {
		return refused, nil
	}
	issues := Issues
	if t.Issue != "" {
		issues = []Issue{t.Issue}
	}
	remedies := []RemedyType{""}
	if t.Purpose == PurposeRemedyOffer {
		remedies = nil
		for r := range remedySentence[t.Language] {
			remedies = append(remedies, r)
		}
		slices.Sort(remedies)
	}
	limit := LimitFor(rules, kind)
	gc := GuardContext{OffersRemedy: t.Purpose == PurposeRemedyOffer}
	for _, issue := range issues {
		for _, remedy := range remedies {
			v := TemplateVars{Issue: issue, Remedy: remedy, Amount: 99999, Currency: "USD", ShopName: shopName}
			text := strings.TrimSpace(fillSeller(t.Body, t.Purpose, t.Language, v))
			where := string(issue)
			if remedy != "" {
				where += ", " + string(remedy)
			}
			if n := utf8.RuneCountInString(text); n > limit {
				add(&refused, Violation{Rule: RuleTooLong, Message: fmt.Sprintf("filled in (%s) it is %d characters; %s allows %d", where, n, m, limit)})
			}
			verdict := ScreenText(rules, kind, text, gc)
			for _, vi := range verdict.Violations {
				if vi.Rule != RuleTooLong {
					vi.Message += " (" + where + ")"
					add(&refused, vi)
				}
			}
			for _, d := range verdict.Doubts {
				add(&doubts, d)
			}
		}
	}
	return refused, doubts
}

// TemplateRef names one version of a seller template, for the case's record.
type TemplateRef struct {
	ID       string          `json:"id"`
	Version  int             `json:"version"`
	Purpose  TemplatePurpose `json:"purpose"`
	Issue    Issue           `json:"issue,omitempty"`
	Language string          `json:"language"`
}

// Record is what a case's events keep of its seller texts: the shop name
// and which template versions it opened with, not their bodies.
func (t SellerTexts) Record() map[string]any {
	refs := make([]TemplateRef, len(t.Templates))
	for i, s := range t.Templates {
		refs[i] = TemplateRef{ID: s.ID, Version: s.Version, Purpose: s.Purpose, Issue: s.Issue, Language: s.Language}
	}
	return map[string]any{"shop_name": t.ShopName, "templates": refs}
}
