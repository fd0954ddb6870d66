package cases

// The review guard reads concepts, not phrases: each language lists its
// words for the few ideas a review-for-benefit or review-change request is
// made of, and the rules (guard_review.go) combine the concepts by how close
// they stand. A new paraphrase has to avoid every word for "review" or for
// "change", not one memorised sentence.
//
// Entries are written in normalised form (see Normalize: lower case, no
// accents, Simplified Chinese). Latin entries match whole words, several
// words in a row when they contain spaces, or a word prefix when they end in
// "*"; they are compared without doubled letters and with "l" read as "i",
// so "feeedback" and "fee1dback" are "feedback". Entries with Chinese
// characters match inside Chinese runs.

// lexicon is one language's words per concept.
type lexicon struct {
	lang string
	// Verb families by infinitive (English: base form), read in every
	// conjugated form (guard_morphology.go): change, changeForward, solicit
	// and benefit verbs.
	changeVerbs, changeForwardVerbs, solicitVerbs, benefitVerbs []string
	// offerVerbs: verbs whose first person is a benefit for the buyer ("te
	// regalamos", "we'll gift you", "a gente devolve"); offerVerbsUnsure:
	// verbs whose first person may be one ("te mandamos", "we'll send you").
	// Read in the first-person forms only (guard_values.go).
	offerVerbs, offerVerbsUnsure []string
	// changeSyllables: one-character Chinese change verbs, read also
	// reduplicated ("改改", "改一改", "提一提").
	changeSyllables []string
	// ratingValue: a rating named by its value ("full marks", "nota
	// máxima"); the rating only next to an ask, a give verb or a benefit.
	ratingValue []string
	// ratingVerbs: verbs of rating, read in every form ("puntuaras",
	// "reavaliasse").
	ratingVerbs []string
	// rating: the buyer's review, rating or stars — always the review.
	rating []string
	// ratingAmbiguous: also ordinary words ("comment", "nota", "opinion");
	// they are the review only next to an owner word ("your comment", "the
	// note you left") and otherwise ignored.
	ratingAmbiguous []string
	// ratingUnsure: the review or something else, undecidable from the
	// words around ("review" without a determiner, "score"). They never
	// refuse a text; they send it to a person when a rule would fire.
	ratingUnsure []string
	// owner words make an ambiguous word the buyer's review: before it
	// ("your", "su", "seu") or after it ("you left", "que deixou").
	ownerBefore, ownerAfter []string
	// innocent: phrases in which the words above mean something else ("nota
	// fiscal" is an invoice, "we will review" a verb, "feel free" no gift,
	// "改进" to improve); words inside them are not read as concepts.
	innocent []string
	// ask: requests, soft asks included ("would mean the world", "能不能").
	ask []string
	// change: verbs of changing, removing or revisiting something.
	change []string
	// changeForward: verbs that change the review only when it follows them
	// ("improve your rating", but "your feedback helps us improve").
	changeForward []string
	// solicit: verbs of giving or posting a rating ("leave", "dejar", "给").
	solicit []string
	// positive: a better or top rating ("positive", "five", "满分").
	positive []string
	// benefit: something of value for the buyer.
	benefit []string
	// benefitAmbiguous: a benefit in most messages, or an ordinary word
	// ("free", "credit", "送"); they never refuse a text on their own.
	benefitAmbiguous []string
	// condition: ties one thing to another ("in exchange for", "once you", "只要").
	condition []string
	// exchangeFor: "for" that can price a rating ("a coupon for a good
	// review"), unless a thanks comes right before it ("thanks for your
	// review").
	exchangeFor, thanks []string
	// productNouns after a star count describe a product, not a rating
	// ("5-star hotel towels").
	productNouns []string
}

// lexicons are the languages the guard reads; every text is read with all
// of them, since agents mix languages.
var lexicons = []lexicon{lexiconEN, lexiconES, lexiconPT, lexiconZH}
