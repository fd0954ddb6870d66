package cases

import "fmt"

// Distances, in units (a Latin word is two, a Chinese character one).
const (
	// A verb acts on the rating that follows it closely: "change your 1 star review".
	nearForward = 6
	// A verb after the rating: "评价改一下", "the review, could it be updated".
	nearAfter = 8
	// A positive word qualifies a rating: "positive review", "reseña positiva".
	nearPositive = 4
	// An ask or condition belongs to the rating within about eight words.
	nearAsk = 16
	// A benefit this close to a rating prices it: "好评返现", "coupon for a review".
	nearBenefit = 4
)

// signal is how strongly the words around a rating ask the buyer to act on it.
type signal int

const (
	signalNone   signal = iota
	signalUnsure        // an ask or a change near a rating: a person decides
	signalStrong        // a change, a give or a top rating asked for
)

// reviewReading is what the review rules found in one text.
type reviewReading struct {
	hits     []hit
	ratings  []hit // certain
	unsure   []hit // maybe the review
	request  signal
	evidence string // the words that make the request
}

func readReview(text string) reviewReading {
	rd := reviewReading{hits: findConcepts(text)}
	for _, h := range rd.hits {
		switch h.c {
		case conRating:
			rd.ratings = append(rd.ratings, h)
		case conRatingUnsure:
			rd.unsure = append(rd.unsure, h)
		}
	}
	for _, r := range rd.ratings {
		if s, ev := rd.signalAt(r); s > rd.request {
			rd.request, rd.evidence = s, ev
		}
	}
	// A short question that is only a top rating asks for it.
	if rd.request < signalStrong && rd.has(conPositive) {
		if q, ok := questionedRating(text); ok {
			end := 1 << 30
			rd.request, rd.evidence = signalStrong, fmt.Sprintf("%q", q)
			rd.ratings = append(rd.ratings, hit{conRating, end, end, q})
		}
	}
	// A certain rating, an ask and a change verb anywhere: a person reads it.
	if rd.request == signalNone && len(rd.ratings) > 0 && rd.has(conAsk) {
		if c, ok := rd.first(conChange); ok {
			rd.request, rd.evidence = signalUnsure, quoteTerms(rd.ratings[0], c)
		}
	}
	return rd
}

// signalAt rates the words around one rating.
func (rd reviewReading) signalAt(r hit) (signal, string) {
	ask, hasAsk := rd.nearest(r, nearAsk, conAsk)
	for _, h := range rd.hits {
		switch {
		case (h.c == conChange || h.c == conChangeForward || h.c == conSolicit) && before(h, r, nearForward):
			return signalStrong, quoteTerms(h, r)
		case h.c == conChange && after(h, r, nearAfter) && hasAsk:
			return signalStrong, quoteTerms(ask, r, h)
		case h.c == conPositive && distance(h, r) <= nearPositive && hasAsk:
			return signalStrong, quoteTerms(ask, h, r)
		}
	}
	for _, h := range rd.hits {
		if h.c == conChange && after(h, r, nearAfter) {
			return signalUnsure, quoteTerms(r, h)
		}
	}
	if hasAsk {
		return signalUnsure, quoteTerms(ask, r)
	}
	return signalNone, ""
}

// before: h ends at most gap units before r starts (or overlaps it, "改评").
func before(h, r hit, gap int) bool {
	return h.start <= r.start && r.start-h.end <= gap && h.end <= r.end
}

// after: h starts at most gap units after r ends.
func after(h, r hit, gap int) bool {
	return h.start >= r.end && h.start-r.end <= gap
}

func distance(a, b hit) int {
	switch {
	case a.end <= b.start:
		return b.start - a.end
	case b.end <= a.start:
		return a.start - b.end
	}
	return 0
}

func (rd reviewReading) nearest(r hit, within int, cs ...concept) (hit, bool) {
	best, found := hit{}, false
	for _, h := range rd.hits {
		for _, c := range cs {
			if h.c == c && distance(h, r) <= within && (!found || distance(h, r) < distance(best, r)) {
				best, found = h, true
			}
		}
	}
	return best, found
}

func (rd reviewReading) first(c concept) (hit, bool) {
	for _, h := range rd.hits {
		if h.c == c {
			return h, true
		}
	}
	return hit{}, false
}

func (rd reviewReading) has(c concept) bool {
	_, ok := rd.first(c)
	return ok
}

func quoteTerms(hs ...hit) string {
	s := ""
	for i, h := range hs {
		if i > 0 {
			s += " … "
		}
		s += fmt.Sprintf("%q", h.term)
	}
	return s
}

// tradeLink finds what ties a benefit to a rating: a condition word, a
// request about the rating, a "for" that prices it, or the two side by side.
func (rd reviewReading) tradeLink(benefits []hit) (string, bool) {
	if c, ok := rd.first(conCondition); ok {
		return quoteTerms(c), true
	}
	if rd.request == signalStrong {
		return rd.evidence, true
	}
	for _, r := range rd.ratings {
		for _, h := range rd.hits {
			if h.c == conExchangeFor && before(h, r, nearForward) && !rd.thankedAt(h) {
				return quoteTerms(h, r), true
			}
		}
		for _, b := range benefits {
			// "thanks for the review, we'll send you the tracking": a thanked
			// review next to a mere "we send you" is not priced.
			if b.c == conBenefitUnsure && b.start >= r.end && rd.ratingThanked(r) {
				continue
			}
			if distance(b, r) <= nearBenefit {
				return quoteTerms(b, r), true
			}
		}
	}
	return "", false
}

// ratingThanked: a thanks within three words before the rating ("thanks
// for the review", "gracias por tu reseña", "obrigado pela avaliação").
func (rd reviewReading) ratingThanked(r hit) bool {
	for _, t := range rd.hits {
		if t.c == conThanks && t.end <= r.start && r.start-t.end <= 3*unitsWord {
			return true
		}
	}
	return false
}

// thankedAt: "thanks for your review" thanks, it does not pay.
func (rd reviewReading) thankedAt(h hit) bool {
	for _, t := range rd.hits {
		if t.c == conThanks && t.end <= h.start && h.start-t.end <= unitsWord {
			return true
		}
	}
	return false
}

func (rd reviewReading) all(cs ...concept) []hit {
	var out []hit
	for _, h := range rd.hits {
		for _, c := range cs {
			if h.c == c {
				out = append(out, h)
			}
		}
	}
	return out
}

// reviewFindings applies the review rules. Violations refuse the text;
// doubts send it to a person. Appeals ask the platform, not the buyer, and
// may describe what the buyer demanded, so they are not read here.
func reviewFindings(rules PlatformRules, kind TextKind, text string, gc GuardContext) (violations, doubts []Violation) {
	if kind == TextAppeal {
		return nil, nil
	}
	rd := readReview(text)
	refuse := func(rule, format string, args ...any) {
		violations = append(violations, Violation{Rule: rule, Message: fmt.Sprintf(format, args...)})
	}
	doubt := func(rule, format string, args ...any) {
		doubts = append(doubts, Violation{Rule: rule, Message: fmt.Sprintf(format, args...)})
	}
	where := displayMarketplace(rules)

	benefits := rd.all(conBenefit)
	anyBenefit := append(rd.all(conBenefitUnsure), benefits...)
	incentive, isIncentive := rd.first(conIncentive)
	offered := gc.OffersRemedy || len(benefits) > 0
	link, linked := rd.tradeLink(anyBenefit)
	trade := isIncentive || (len(rd.ratings) > 0 && offered && linked)

	// Asking about the review, where the platform forbids it.
	if rules.ForbidsReviewChangeRequest {
		switch {
		case rd.request == signalStrong:
			refuse(RuleReviewChangeRequest, "%s forbids asking the buyer to change or give a review: %s", where, rd.evidence)
		case trade:
			refuse(RuleReviewChangeRequest, "%s forbids asking the buyer for a review: a benefit is tied to it", where)
		case rd.request == signalUnsure:
			doubt(RuleReviewChangeRequest, "may ask the buyer about their review, which %s forbids: %s", where, rd.evidence)
		default:
			if s, ev := rd.unsureSignal(); s > signalNone {
				doubt(RuleReviewChangeRequest, "may ask the buyer about their review, which %s forbids: %s", where, ev)
			}
		}
	}

	// A benefit and a review in one text.
	switch {
	case isIncentive:
		refuse(RuleReviewConditionedRemedy, "offers something for a review: %q", incentive.term)
	case trade:
		refuse(RuleReviewConditionedRemedy, "ties a benefit to the review: %s", link)
	case kind == TextMessage && offered && len(rd.ratings) > 0:
		refuse(RuleReviewConditionedRemedy, "a message that offers or confirms a remedy must not mention reviews: %q", rd.ratings[0].term)
	case offered && len(rd.ratings) > 0:
		doubt(RuleReviewConditionedRemedy, "mentions a benefit and the review: %q", rd.ratings[0].term)
	case len(rd.ratings) > 0 && len(anyBenefit) > 0 && linked:
		doubt(RuleReviewConditionedRemedy, "may tie a benefit (%q) to the review: %s", anyBenefit[0].term, link)
	case len(anyBenefit) > 0 && rd.request == signalUnsure:
		doubt(RuleReviewConditionedRemedy, "may tie a benefit (%q) to a soft ask about the review: %s", anyBenefit[0].term, rd.evidence)
	case offered && len(rd.unsure) > 0:
		doubt(RuleReviewConditionedRemedy, "a message that offers a remedy has a word that may mean the review: %q", rd.unsure[0].term)
	}
	return violations, doubts
}

// unsureSignal: a word that may be the review, with a change or give verb
// in front of it, a top rating asked for or an ask next to it.
func (rd reviewReading) unsureSignal() (signal, string) {
	for _, u := range rd.unsure {
		if s, ev := rd.signalAt(u); s > signalNone {
			if _, ask := rd.nearest(u, nearAsk, conAsk); ask || s == signalStrong {
				return signalUnsure, ev
			}
		}
	}
	return signalNone, ""
}
