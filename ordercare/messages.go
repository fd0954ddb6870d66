package ordercare

import (
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/redress-hq/redress/cases"
)

// Message kinds in the message centre.
const (
	KindQuestion = "question" // pre-sale, on a listing (Mercado Libre questions and answers)
	KindMessage  = "message"  // post-sale, on an order
)

// Reply deadlines (seed 003: every message within 24 h, complaints within
// 12 h; Amazon counts weekends, and so does this wall-clock deadline).
const (
	ReplyWithin          = 24 * time.Hour
	ComplaintReplyWithin = 12 * time.Hour
)

// ReplyDeadline is when a message must be answered.
func ReplyDeadline(m cases.Marketplace, complaint bool, received time.Time) time.Time {
	if complaint {
		return received.Add(ComplaintReplyWithin)
	}
	return received.Add(ReplyWithin)
}

var stopwords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a an the is are do does you your have has of for to in on it this that and or i my me we
		can with be will el la los las un una de del y o es son tiene tienen hay que en por para con mi su se lo al
		o a os as um uma de do da dos das e é tem têm voce vocês para com no na meu minha seu sua se
		qual cual como quando cuando what which how when there esta este esto está isso esse essa`) {
		stopwords[cases.Normalize(w)] = true
	}
}

// GroupKey puts similar questions together for a batch answer: the
// normalised content words, sorted, without stop words (zh: the text's
// Han characters as one run).
func GroupKey(text string) string {
	words := strings.FieldsFunc(cases.Normalize(text), func(r rune) bool {
		return r == ' ' || r == '?' || r == '¿' || r == '!' || r == '.' || r == ',' || r == '。' || r == '\uff1f' || r == '\uff0c'
	})
	set := map[string]bool{}
	for _, w := range words {
		if stopwords[w] || (utf8.RuneCountInString(w) < 3 && w[0] < 0x80) {
			continue
		}
		set[w] = true
	}
	keys := make([]string, 0, len(set))
	for w := range set {
		keys = append(keys, w)
	}
	sort.Strings(keys)
	if len(keys) > 6 {
		keys = keys[:6]
	}
	return strings.Join(keys, " ")
}

// AnswerRules are the rules an answer is screened with: a post-sale message
// is a private message; a listing answer is public on the listing, with
// Mercado Libre's answer limit (2000 characters, no ISO-8859-1 limit).
func AnswerRules(m cases.Marketplace, kind string) (cases.PlatformRules, cases.TextKind) {
	rules := cases.RulesFor(m)
	if kind == KindQuestion {
		rules.MessageMaxChars, rules.MessageCharset = 2000, ""
	}
	return rules, cases.TextMessage
}
