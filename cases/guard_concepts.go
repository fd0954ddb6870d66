package cases

import (
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// concept is one idea the review rules combine.
type concept uint8

const (
	conRating       concept = iota // the buyer's review, certainly
	conRatingUnsure                // maybe the review
	conAmbiguous                   // the review only with an owner word
	conOwnerBefore
	conOwnerAfter
	conAsk
	conChange
	conChangeForward
	conSolicit
	conPositive
	conBenefit
	conBenefitUnsure
	conCondition
	conExchangeFor
	conThanks
	conProductNoun
	conInnocent
	conIncentive // an idiom that is itself a benefit for a review (好评返现)
	conElsewhere // a place after "what you wrote": "in the address field"
	// conRatingValue is a rating named by its value alone ("full marks", "a
	// 5", "nota máxima"): the rating next to an ask, a give verb or a
	// benefit, dropped otherwise (guard_values.go).
	conRatingValue
	numConcepts
)

// hit is one concept found in a text, as a span of units: a Latin word is
// two units, a Chinese character one, a sentence end four — so distances
// compare across languages and a sentence end weakens, but does not break,
// the link between two words.
type hit struct {
	c          concept
	start, end int
	term       string
}

const (
	unitsWord     = 2
	unitsHan      = 1
	unitsSentence = 4
)

// incentiveIdioms are Chinese idioms for a benefit given for a review.
var incentiveIdioms = []string{"好评返现", "返现", "晒图返", "评价返", "好评有礼", "好评送", "返好评", "红包"}

// latinTerm is a lexicon entry of one or more words, compared as skeletons.
type latinTerm struct {
	c      concept
	words  []string
	prefix bool // the last word is a prefix
	text   string
	joined string // the words without spaces, for insideJoined
}

type compiledLexicons struct {
	byFirst map[string][]latinTerm // one-word terms, by their skeleton
	// byPair: terms of several words, by the skeletons of their first two
	// words (the first-person forms make thousands of phrases start with
	// "we", "a" or "te": one bucket each would be read at every such word).
	byPair   map[[2]string][]latinTerm
	known    map[string]bool // the first word of every term
	prefixed []latinTerm     // single-word prefixes ("calific*")
	han      [numConcepts][]string
	split    map[string]string // skeletons of long rating words, to rejoin "rev iew"
	// inside: words looked for inside a long run of letters, which is what
	// spaced-out words become ("c h a n g e  y o u r  r e v i e w").
	inside []latinTerm
	// insideJoined: phrases of several words, looked for with their spaces
	// removed inside a long run of letters ("leaveusareview").
	insideJoined []latinTerm
	// variants: single-word rating, change and benefit terms with two
	// neighbouring letters swapped ("reveiw"), by skeleton.
	variants map[string][]latinTerm
	// byBase: single-word rating and benefit terms, for diminutives.
	byBase map[string][]latinTerm
}

var guardLexicons = sync.OnceValue(compileLexicons)

func compileLexicons() *compiledLexicons {
	cl := &compiledLexicons{byFirst: map[string][]latinTerm{}, byPair: map[[2]string][]latinTerm{}, known: map[string]bool{}, split: map[string]string{},
		variants: map[string][]latinTerm{}, byBase: map[string][]latinTerm{}}
	add := func(c concept, entries []string) {
		for _, e := range entries {
			if hasHan(e) {
				cl.han[c] = append(cl.han[c], e)
				continue
			}
			stem, prefix := strings.CutSuffix(e, "*")
			words := strings.Fields(stem)
			for i, w := range words {
				words[i] = skeleton(w)
			}
			t := latinTerm{c: c, words: words, prefix: prefix, text: e}
			if prefix && len(words) == 1 {
				cl.prefixed = append(cl.prefixed, t)
				continue
			}
			cl.known[words[0]] = true
			if len(words) > 1 {
				k := [2]string{words[0], words[1]}
				cl.byPair[k] = append(cl.byPair[k], t)
			} else {
				cl.byFirst[words[0]] = append(cl.byFirst[words[0]], t)
			}
			if c == conRating && len(words) == 1 && len(words[0]) >= 6 {
				cl.split[words[0]] = e
			}
			if c != conInnocent && len(words) == 1 && len(words[0]) >= 4 && !prefix {
				cl.inside = append(cl.inside, t)
			}
			if j := strings.Join(words, ""); c != conInnocent && len(words) > 1 && len(j) >= 6 && !prefix {
				t.joined = j
				cl.insideJoined = append(cl.insideJoined, t)
			}
			if len(words) == 1 && (isRatingConcept(c) || c == conBenefit) {
				cl.byBase[words[0]] = append(cl.byBase[words[0]], t)
			}
			if len(words) == 1 && len(words[0]) >= 5 && (isRatingConcept(c) || c == conChange || c == conChangeForward || c == conBenefit) {
				for _, v := range transpositions(words[0]) {
					cl.variants[v] = append(cl.variants[v], t)
				}
			}
		}
	}
	for _, lx := range lexicons {
		add(conChange, expandVerbs(lx.lang, lx.changeVerbs))
		add(conChangeForward, expandVerbs(lx.lang, lx.changeForwardVerbs))
		add(conSolicit, expandVerbs(lx.lang, lx.solicitVerbs))
		add(conBenefit, expandVerbs(lx.lang, lx.benefitVerbs))
		add(conBenefit, firstPersonForms(lx.lang, lx.offerVerbs))
		add(conBenefitUnsure, firstPersonForms(lx.lang, lx.offerVerbsUnsure))
		add(conRatingValue, lx.ratingValue)
		add(conChange, reduplicated(lx.changeSyllables))
		add(conAmbiguous, referents(lx.lang))
		add(conRating, lx.rating)
		add(conRating, expandVerbs(lx.lang, lx.ratingVerbs))
		add(conRatingUnsure, lx.ratingUnsure)
		add(conAmbiguous, lx.ratingAmbiguous)
		add(conOwnerBefore, lx.ownerBefore)
		add(conOwnerAfter, lx.ownerAfter)
		add(conAsk, lx.ask)
		add(conChange, lx.change)
		add(conChangeForward, lx.changeForward)
		add(conSolicit, lx.solicit)
		add(conPositive, lx.positive)
		add(conBenefit, lx.benefit)
		add(conBenefitUnsure, lx.benefitAmbiguous)
		add(conCondition, lx.condition)
		add(conExchangeFor, lx.exchangeFor)
		add(conThanks, lx.thanks)
		add(conProductNoun, lx.productNouns)
		add(conInnocent, lx.innocent)
	}
	add(conIncentive, incentiveIdioms)
	return cl
}

// skeleton is a word as the lexicons compare it: no doubled letters, "l"
// read as "i" (so "fee1dback", "feeedback" and "feedback" are one word).
func skeleton(w string) string {
	if isSkeleton(w) {
		return w // most words: no allocation
	}
	var b strings.Builder
	var last rune = -1
	for _, r := range w {
		if r == 'l' {
			r = 'i'
		}
		if r == last && unicode.IsLetter(r) {
			continue
		}
		b.WriteRune(r)
		last = r
	}
	// Chat plurals: "starz", "reviewz".
	if s := b.String(); len(s) >= 4 && strings.HasSuffix(s, "z") {
		return strings.TrimSuffix(s, "z") + "s"
	}
	return b.String()
}

// textUnits is a normalised text as positioned tokens.
type textUnits struct {
	toks       []string
	kinds      []tokenKind
	joined     []bool
	start, end []int
}

func unitsOf(toks []token) textUnits {
	var u textUnits
	pos := 0
	for _, t := range toks {
		text, width := t.text, unitsWord
		switch t.kind {
		case tokEnd:
			width = unitsSentence
		case tokStars:
			text = "★" + t.text
		case tokHan:
			width = len([]rune(t.text)) * unitsHan
		}
		u.toks = append(u.toks, text)
		u.kinds = append(u.kinds, t.kind)
		u.joined = append(u.joined, t.joined)
		u.start = append(u.start, pos)
		u.end = append(u.end, pos+width)
		pos += width
	}
	return u
}

// findConcepts lists every concept in a text, after masking innocent
// phrases and words inside longer ones.
func findConcepts(text string) []hit {
	hits, _ := findConceptsIn(text, false)
	return hits
}

// findConceptsIn: in a short question ("Five out of five?", "¿Un 10?") the
// question itself is the context that makes a value the rating; it also
// reports how many words no concept explains.
func findConceptsIn(text string, question bool) ([]hit, int) {
	cl := guardLexicons()
	u := unitsOf(normalizedTokens(text))
	var hits []hit
	words := make([]string, len(u.toks))
	for i, t := range u.toks {
		if u.kinds[i] == tokWord {
			words[i] = skeleton(t)
		}
	}
	for i := range u.toks {
		switch u.kinds[i] {
		case tokWord:
			for _, t := range cl.byFirst[words[i]] {
				if n := matchWords(words, i, t); n > 0 {
					hits = append(hits, hit{t.c, u.start[i], u.end[i+n-1], t.text})
				}
			}
			// Phrases, by their first two words; up to two intensifiers may
			// stand between them ("we'd really appreciate").
			for j := i + 1; j < len(words) && j <= i+3; j++ {
				for _, t := range cl.byPair[[2]string{words[i], words[j]}] {
					if n := matchWords(words, i, t); n > 0 {
						hits = append(hits, hit{t.c, u.start[i], u.end[i+n-1], t.text})
					}
				}
				if !intensifiers[words[j]] {
					break
				}
			}
			for _, t := range cl.prefixed {
				if strings.HasPrefix(words[i], t.words[0]) {
					hits = append(hits, hit{t.c, u.start[i], u.end[i], t.text})
				}
			}
			hits = append(hits, wordFamilyHits(cl, words[i], u.toks[i], u.start[i], u.end[i])...)
			// Spaced-out letters rejoin into one run ("changeyourreview",
			// "ocomentario" with the article): every word inside it counts.
			// So do hashtags ("#reviewus", "#rateus5stars"), and phrases
			// inside them count with their spaces removed.
			if u.joined[i] {
				for _, t := range cl.inside {
					if strings.Contains(words[i], t.words[0]) {
						hits = append(hits, hit{t.c, u.start[i], u.end[i], t.text})
					}
				}
				for _, t := range cl.insideJoined {
					if strings.Contains(words[i], t.joined) {
						hits = append(hits, hit{t.c, u.start[i], u.end[i], t.text})
					}
				}
			}
			// A rating word split by spaces or dashes: "rev iew", "cali ficacion".
			joined := words[i]
			for j := i + 1; j < len(u.toks) && j < i+4 && u.kinds[j] == tokWord; j++ {
				joined = skeleton(joined + words[j])
				if term, ok := cl.split[joined]; ok {
					hits = append(hits, hit{conRating, u.start[i], u.end[j], term})
				}
			}
		case tokHan:
			run := u.toks[i]
			for c := range numConcepts {
				for _, term := range cl.han[c] {
					for off := 0; off < len(run); {
						k := strings.Index(run[off:], term)
						if k < 0 {
							break
						}
						at := utf8.RuneCountInString(run[:off+k])
						hits = append(hits, hit{c, u.start[i] + at, u.start[i] + at + utf8.RuneCountInString(term), term})
						_, size := utf8.DecodeRuneInString(run[off+k:])
						off += k + size
					}
				}
			}
		case tokStars:
			hits = append(hits, starHits(u, i, words, cl)...)
		}
	}
	hits = append(hits, scoreHits(u, words)...)
	hits = append(hits, valueHits(u, words, hits)...)
	hits = dropContained(dropInnocent(hits))
	hits = append(hits, movementHits(u, words, hits)...)
	hits = append(hits, questionHits(u, hits)...)
	hits = sellerOwnChanges(u, words, hits)
	return resolveOwners(promoteValues(pricedBenefits(u, words, hits), question)), unexplained(u, words, hits)
}

// matchWords reports how many tokens from i the term covers (0: no match).
// An intensifier inside a phrase does not break it: "we'd really
// appreciate", "would be so great", "seria muy amable" (at most two).
func matchWords(words []string, i int, t latinTerm) int {
	j, skipped := i, 0
	for k, w := range t.words {
		if j >= len(words) {
			return 0
		}
		got := words[j]
		for k > 0 && got != w && intensifiers[got] && skipped < 2 && j+1 < len(words) {
			j++
			skipped++
			got = words[j]
		}
		if got == "" {
			return 0
		}
		if k == len(t.words)-1 && t.prefix {
			if !strings.HasPrefix(got, w) {
				return 0
			}
		} else if got != w {
			return 0
		}
		j++
	}
	return j - i
}

// intensifiers, as skeletons ("really" is "reaiy").
var intensifiers = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{"really", "so", "very", "truly", "just", "greatly", "honestly", "totally", "realy",
		"super", "especially", "muy", "mucho", "muito", "mesmo", "tan", "tao", "bem", "realmente", "enormemente"} {
		m[skeleton(w)] = true
	}
	return m
}()

// starHits reads a star token: a count is the rating (and a top one is
// positive) unless a product noun follows ("5-star hotel towels"); a lone
// glyph may be decoration.
func starHits(u textUnits, i int, words []string, cl *compiledLexicons) []hit {
	count := strings.TrimPrefix(u.toks[i], "★")
	h := hit{conRating, u.start[i], u.end[i], u.toks[i]}
	if count == "" {
		h.c = conRatingUnsure
		return []hit{h}
	}
	if productFollows(u, i+1, words, cl) || attributiveStars(u, i, words, cl) || (i > 0 && qualityNouns[words[i-1]]) {
		return nil
	}
	out := []hit{h}
	if count == "4" || count == "5" || count == "10" {
		out = append(out, hit{conPositive, h.start, h.end, h.term})
	}
	return out
}

// productFollows: a product noun at j, or after "of"/"de" ("5 estrellas de calidad").
func productFollows(u textUnits, j int, words []string, cl *compiledLexicons) bool {
	if j >= len(u.toks) {
		return false
	}
	if j+1 < len(u.toks) && slices.Contains([]string{"of", "de", "da", "do", "del"}, words[j]) {
		j++
	}
	for _, t := range productTerms(cl, words, j) {
		if t.c == conProductNoun && matchWords(words, j, t) > 0 {
			return true
		}
	}
	if u.kinds[j] == tokHan {
		for _, noun := range cl.han[conProductNoun] {
			if strings.HasPrefix(u.toks[j], noun) {
				return true
			}
		}
	}
	return false
}

func dropInnocent(hits []hit) []hit {
	var innocent []hit
	for _, h := range hits {
		if h.c == conInnocent {
			innocent = append(innocent, h)
		}
	}
	out := hits[:0:0]
	for _, h := range hits {
		masked := false
		for _, m := range innocent {
			if h.c != conInnocent && m.start <= h.start && h.end <= m.end && h.term != m.term {
				masked = true
				break
			}
		}
		if !masked && h.c != conInnocent {
			out = append(out, h)
		}
	}
	return out
}

// dropContained drops a word inside a longer word or phrase ("补" in
// "补发", "评" in "评价"), except a change or positive word inside a rating
// word ("改" in "改评", "好" in "好评"), which says what the rating is.
func dropContained(hits []hit) []hit {
	out := hits[:0:0]
	for _, h := range hits {
		contained := false
		for _, o := range hits {
			if structural(h.c) || structural(o.c) {
				continue
			}
			if o.start <= h.start && h.end <= o.end && o.end-o.start > h.end-h.start {
				if o.c == conRating && !isRatingConcept(h.c) {
					continue
				}
				// "就返", "就送": the condition names the benefit it ties.
				if o.c == conCondition && h.c != conCondition {
					continue
				}
				// "more stars", "mas estrellas": the change phrase names the rating.
				if h.c == conRating && (o.c == conChange || o.c == conSolicit || o.c == conAsk) {
					continue
				}
				contained = true
				break
			}
		}
		if !contained {
			out = append(out, h)
		}
	}
	return out
}

// structural concepts qualify their neighbours; they neither hide nor are
// hidden by the words around them ("su" in "por su opinión").
func structural(c concept) bool {
	return c == conElsewhere || c == conOwnerBefore || c == conOwnerAfter || c == conExchangeFor || c == conThanks || c == conProductNoun ||
		c == conRatingValue
}

func isRatingConcept(c concept) bool {
	return c == conRating || c == conRatingUnsure || c == conAmbiguous
}

// resolveOwners turns an ambiguous word into the rating when an owner word
// stands next to it ("your comment", "the note you left"), into an unsure
// rating when the lexicons list it as unsure, or drops it.
func resolveOwners(hits []hit) []hit {
	const near = unitsWord // one word may stand between ("your harsh comment")
	out := hits[:0:0]
	for _, h := range hits {
		if h.c != conAmbiguous {
			if h.c != conOwnerBefore && h.c != conOwnerAfter && h.c != conElsewhere {
				out = append(out, h)
			}
			continue
		}
		owned, changed, solicited, qualified := false, false, false, false
		for _, o := range hits {
			switch {
			case (o.c == conOwnerBefore && o.start <= h.start && h.start-o.end <= near && !placedOnly(h.term)) ||
				(o.c == conOwnerAfter && o.end >= h.end && o.start-h.end <= near && (o.start >= h.end || !isReferent(h.term))):
				owned = true
			case (o.c == conChange || o.c == conChangeForward) && before(o, h, near):
				changed = true
			case o.c == conSolicit && before(o, h, nearForward):
				solicited = true
			case o.c == conPositive && distance(o, h) <= nearPositive:
				qualified = true
			}
		}
		switch {
		case owned, solicited && qualified:
			// "your comment", "what you wrote about us", "leave a positive comment"
			h.c = conRating
			out = append(out, h)
		case elsewhereAfter(hits, h) && isReferent(h.term):
			// "fix what you wrote in the address field"
		case changed:
			// "delete the comment": which comment, a person reads
			h.c = conRatingUnsure
			out = append(out, h)
		}
	}
	return out
}

// placedOnly: "word" is the review only where it was put ("a kind word on
// the listing", "words about us"), not by its owner ("thanks for your kind
// words").
func placedOnly(term string) bool { return term == "word" || term == "words" }

// productTerms: the terms that may start at word j (one word, or a phrase
// by its first two words).
func productTerms(cl *compiledLexicons, words []string, j int) []latinTerm {
	out := cl.byFirst[words[j]]
	if j+1 < len(words) {
		out = append(out[:len(out):len(out)], cl.byPair[[2]string{words[j], words[j+1]}]...)
	}
	return out
}

// isSkeleton: w has no "l", no letter doubled and no chat plural in "z".
func isSkeleton(w string) bool {
	var last rune = -1
	for _, r := range w {
		if r == 'l' || r == last && unicode.IsLetter(r) {
			return false
		}
		last = r
	}
	return !(len(w) >= 4 && strings.HasSuffix(w, "z"))
}
