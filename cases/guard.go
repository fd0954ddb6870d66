package cases

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// TextKind is where an outgoing text goes.
type TextKind string

const (
	TextMessage     TextKind = "message" // private buyer message
	TextPublicReply TextKind = "public_reply"
	TextAppeal      TextKind = "appeal"
)

// Violation is one rule an outgoing text breaks.
type Violation struct {
	Rule    string `json:"rule"`    // one of the Rule* codes
	Message string `json:"message"` // human explanation
}

// Stable violation codes, in the order CheckText reports them.
const (
	RuleEmpty                   = "empty"
	RuleNoChannel               = "no_channel" // the marketplace has no public reply channel (Amazon)
	RuleTooLong                 = "too_long"
	RuleCharset                 = "charset"
	RuleHTML                    = "html"
	RuleLink                    = "link"
	RuleContactData             = "contact_data"
	RulePrivateData             = "private_data"
	RuleHostileWords            = "hostile_words"
	RuleReviewChangeRequest     = "review_change_request"
	RuleReviewConditionedRemedy = "review_conditioned_remedy"
)

// AppealMaxChars bounds appeal texts: no platform offers an appeal API, so a
// person pastes them into a form; 2000 characters fits every form we know.
const AppealMaxChars = 2000

// GuardContext is what the guard needs to know about the case.
type GuardContext struct {
	BuyerName string // must not appear in public text
	BuyerID   string
	OrderID   string // must not appear in public text
	// For messages that offer or confirm a remedy: any mention of reviews is refused (all platforms).
	OffersRemedy bool
}

// LimitFor returns the character limit of a kind of text on a marketplace
// (0 when the marketplace has no such channel).
func LimitFor(rules PlatformRules, kind TextKind) int {
	switch kind {
	case TextMessage:
		return rules.MessageMaxChars
	case TextPublicReply:
		if !rules.PublicReply {
			return 0
		}
		return rules.PublicReplyMaxChars
	case TextAppeal:
		return AppealMaxChars
	}
	return 0
}

// Verdict is the guard's reading of a text: Violations refuse it; Doubts,
// when there are no violations, mean a person must approve it before it is
// sent (the guard cannot tell an innocent text from a forbidden one).
type Verdict struct {
	Violations []Violation `json:"violations"`
	Doubts     []Violation `json:"doubts,omitempty"`
}

// Clean: nothing refused and nothing to approve.
func (v Verdict) Clean() bool { return len(v.Violations) == 0 && len(v.Doubts) == 0 }

// CheckText is the one compliance guard every outgoing text passes. It
// returns every violation (an empty slice when the text is clean), one per
// rule, in the order of the Rule* constants. Length is counted in
// characters (runes), per the platform's limit for the kind. Texts it is
// unsure about pass here; ScreenText also reports them.
func CheckText(rules PlatformRules, kind TextKind, text string, gc GuardContext) []Violation {
	return ScreenText(rules, kind, text, gc).Violations
}

// ScreenText is CheckText with the doubts: texts that are not sent without
// a person's approval.
func ScreenText(rules PlatformRules, kind TextKind, text string, gc GuardContext) Verdict {
	out := []Violation{}
	add := func(rule, format string, args ...any) {
		out = append(out, Violation{Rule: rule, Message: fmt.Sprintf(format, args...)})
	}
	if strings.TrimSpace(text) == "" {
		add(RuleEmpty, "the text is empty")
		return Verdict{Violations: out}
	}
	folded := foldText(text)
	words := wordText(text)

	if kind == TextPublicReply && !rules.PublicReply {
		add(RuleNoChannel, "%s has no public reply channel", displayMarketplace(rules))
	} else if limit, n := LimitFor(rules, kind), utf8.RuneCountInString(text); limit <= 0 {
		add(RuleTooLong, "no %s limit is known for %s", kind, displayMarketplace(rules))
	} else if n > limit {
		add(RuleTooLong, "%d characters, the %s limit on %s is %d", n, kind, displayMarketplace(rules), limit)
	}
	if kind == TextMessage && rules.MessageCharset == "ISO-8859-1" {
		if r, ok := firstOutsideLatin1(text); ok {
			add(RuleCharset, "%q cannot be sent: %s messages must be ISO-8859-1", r, displayMarketplace(rules))
		}
	}
	if m := htmlTag.FindString(folded); m != "" {
		add(RuleHTML, "HTML is not allowed: %q", m)
	}
	if m := firstMatch(linkPatterns, folded); m != "" {
		add(RuleLink, "links are not allowed: %q", m)
	} else if m := compactLink.FindString(withoutSpaces(folded)); m != "" {
		add(RuleLink, "links are not allowed: %q", m)
	}
	if m := contactData(folded, gc); m != "" {
		add(RuleContactData, "contact data is not allowed: %q", m)
	}
	if kind == TextPublicReply {
		if what := privateData(folded, words, gc); what != "" {
			add(RulePrivateData, "a public reply must not contain the %s", what)
		}
	}
	if m := hostileWord(words, kind); m != "" {
		add(RuleHostileWords, "hostile or accusing language: %q", m)
	}
	violations, doubts := reviewFindings(rules, kind, text, gc)
	out = append(out, violations...)
	return Verdict{Violations: out, Doubts: doubts}
}

func displayMarketplace(rules PlatformRules) string {
	if rules.Marketplace == "" {
		return "this marketplace"
	}
	return string(rules.Marketplace)
}

func firstOutsideLatin1(s string) (rune, bool) {
	for _, r := range s {
		if r > 0xFF {
			return r, true
		}
	}
	return 0, false
}

func firstMatch(patterns []*regexp.Regexp, s string) string {
	for _, p := range patterns {
		if m := p.FindString(s); m != "" {
			return strings.TrimSpace(m)
		}
	}
	return ""
}

// contactData finds an e-mail, messenger handle, invitation to move off the
// platform, or phone number. The case's own order number is not a phone
// number, and neither are dates and amounts.
func contactData(folded string, gc GuardContext) string {
	if m := firstMatch(emailPatterns, folded); m != "" {
		return m
	}
	if m := firstMatch(handlePatterns, folded); m != "" {
		return m
	}
	if m := compactEmail.FindString(withoutSpaces(folded)); m != "" {
		return m
	}
	if m := compactHandles.FindString(alnumOf(folded)); m != "" {
		return m
	}
	if m := chineseDigits.FindString(folded); m != "" {
		return m
	}
	order := digitsOf(gc.OrderID)
	for _, c := range phoneCandidate.FindAllString(folded, -1) {
		c = strings.TrimSpace(c)
		digits := digitsOf(c)
		if len(digits) < 8 || len(digits) > 15 || isoDate.MatchString(c) || moneyLike.MatchString(c) {
			continue
		}
		if order != "" && digits == order {
			continue
		}
		return c
	}
	return ""
}

func withoutSpaces(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func digitsOf(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// alnumOf keeps letters and digits only, so "2000-0035-0841" still shows the
// order number "200000350841".
func alnumOf(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// privateData names the kind of private data found in a public text, or "".
func privateData(folded, words string, gc GuardContext) string {
	if nameIn(words, gc.BuyerName) {
		return "buyer's name"
	}
	compact := alnumOf(folded)
	if id := alnumOf(foldText(gc.BuyerID)); len(id) >= 4 && strings.Contains(compact, id) {
		return "buyer's id"
	}
	if id := alnumOf(foldText(gc.OrderID)); len(id) >= 4 && strings.Contains(compact, id) {
		return "order number"
	}
	if firstMatch(addressPatterns, folded) != "" {
		return "street address"
	}
	return ""
}

// nameIn matches the buyer's full name and each part of it of three letters
// or more ("Maria" of "Maria Silva"), as whole words.
func nameIn(words, name string) bool {
	name = strings.TrimSpace(name)
	if utf8.RuneCountInString(name) < 2 {
		return false
	}
	if hasHan(name) {
		return strings.Contains(words, foldText(name))
	}
	if newPhrase(name).in(words) {
		return true
	}
	for _, part := range strings.Fields(strings.TrimSpace(wordText(name))) {
		if utf8.RuneCountInString(part) >= 3 && newPhrase(part).in(words) {
			return true
		}
	}
	return false
}

var (
	insultPhrases     = phrases(insultWords)
	accusationPhrases = phrases(accusationWords)
)

func phrases(words []string) []phrase {
	out := make([]phrase, len(words))
	for i, w := range words {
		out[i] = newPhrase(w)
	}
	return out
}

func hostileWord(words string, kind TextKind) string {
	for _, p := range insultPhrases {
		if p.in(words) {
			return p.original
		}
	}
	if kind == TextAppeal {
		return ""
	}
	for _, p := range accusationPhrases {
		if p.in(words) {
			return p.original
		}
	}
	return ""
}
