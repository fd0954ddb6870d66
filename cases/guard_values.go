package cases

import (
	"strings"
	"unicode/utf8"
)

// The third round of the guard's grammar: a rating named by its value
// alone ("a 4 or 5 would help", "full marks", "¿un 10 para nosotros?"),
// benefits in the seller's own voice ("te regalamos el envío", "a gente te
// dá", "we'll gift you"), the strong conditionals and past subjunctives of
// the give verbs ("¿nos pondrías…?", "se você desse…"), Chinese change
// verbs reduplicated ("提一提") and asked ("能撤掉吗").

// strongStems: irregular future (conditional) and preterite (past
// subjunctive) stems, for Spanish and Portuguese alike (over-producing is
// harmless).
var strongStems = map[string][2]string{
	"poner": {"pondr", "pus"}, "hacer": {"har", "hic"}, "dar": {"dar", "d"}, "tener": {"tendr", "tuv"},
	"fazer": {"far", "fiz"}, "decir": {"dir", "dij"}, "traer": {"traer", "traj"}, "trazer": {"trar", "troux"},
}

func init() {
	for inf, st := range strongStems {
		fut, pret := st[0], st[1]
		var forms []string
		for _, e := range []string{"ia", "ias", "ian", "iam", "iamos"} {
			forms = append(forms, fut+e)
		}
		for _, e := range []string{"iera", "ieras", "ieran", "iese", "ieses", "iesen", "esse", "esses", "essem", "er", "eres", "erem", "era"} {
			if inf == "dar" && strings.HasPrefix(e, "ie") {
				forms = append(forms, "d"+e) // diera, dieras
				continue
			}
			if inf == "dar" {
				forms = append(forms, "de"+strings.TrimPrefix(e, "e")) // desse, der
				continue
			}
			forms = append(forms, pret+e)
		}
		romanceIrregular[inf] = append(romanceIrregular[inf], forms...)
	}
}

// firstPersonForms: the seller's own forms of a give verb, alone and with
// the buyer as indirect object. English: "we'll gift you", "we can refund
// you"; Spanish: "regalamos", "te regalamos", "le regalaremos", "vamos a
// regalarte"; Portuguese: "devolvemos", "te devolvemos", "a gente devolve",
// "a gente te dá".
func firstPersonForms(lang string, verbs []string) []string {
	var out []string
	for _, v := range verbs {
		switch lang {
		case LangEN:
			for _, subj := range []string{"we", "we ll", "we will", "we d", "we would", "we can", "we could", "we re going to",
				"we are going to", "i ll", "i will", "i can", "let us", "let me", "we want to", "we d like to", "we would like to", "we ll happily", "we will happily"} {
				out = append(out, subj+" "+v+" you", subj+" "+v+" your")
			}
		case LangES, LangPT:
			out = append(out, romanceFirstPerson(lang, v)...)
		}
	}
	return out
}

var firstPersonIrregular = map[string][]string{
	"hacer": {"hacemos", "haremos", "hariamos", "hicimos"},
	"fazer": {"fazemos", "faremos", "fariamos", "fizemos", "a gente faz"},
	"dar":   {"damos", "daremos", "dariamos", "dimos", "demos", "a gente da"},
	"poner": {"ponemos", "pondremos", "pondriamos", "pusimos"},
}

// firstSingularIrregular: "te doy", "te dou", "te hago", "te faço".
var firstSingularIrregular = map[string][]string{
	"dar": {"doy", "dou", "dare", "darei"}, "hacer": {"hago", "hare"}, "fazer": {"faco", "farei"},
	"poner": {"pongo", "pondre"}, "devolver": {"devuelvo", "devolvo"},
}

func romanceFirstPerson(lang, inf string) []string {
	stem, class := inf[:len(inf)-2], inf[len(inf)-2:]
	var plain []string
	if irr, ok := firstPersonIrregular[inf]; ok {
		plain = append(plain, irr...)
	} else {
		switch class {
		case "ar":
			plain = append(plain, stem+"amos")
		case "er":
			plain = append(plain, stem+"emos", stem+"imos")
		default:
			plain = append(plain, stem+"imos")
		}
		plain = append(plain, inf+"emos", inf+"iamos")
		if lang == LangPT {
			third := stem + "e"
			if class == "ar" {
				third = stem + "a"
			}
			plain = append(plain, "a gente "+third)
		}
	}
	var out []string
	clitics := []string{"te", "le", "les"}
	if lang == LangPT {
		clitics = []string{"te", "lhe", "lhes"}
	}
	for _, f := range plain {
		out = append(out, f)
		for _, c := range clitics {
			if g, ok := strings.CutPrefix(f, "a gente "); ok {
				out = append(out, "a gente "+c+" "+g)
				continue
			}
			out = append(out, c+" "+f)
		}
	}
	// The first person singular only with the buyer as object: "te regalo",
	// "le devuelvo", "te mando" ("regalo", "mando" alone are nouns).
	singular := firstSingularIrregular[inf]
	if len(singular) == 0 {
		singular = []string{stem + "o"}
	}
	fut := inf
	if st, ok := strongStems[inf]; ok {
		fut = st[0]
	}
	singular = append(singular, fut+"e", fut+"ei", fut+"ia") // future and conditional: "te devolvería"
	for _, f := range singular {
		for _, c := range clitics {
			out = append(out, c+" "+f)
		}
	}
	auxiliaries := []string{"vamos a", "voy a", "puedo", "podemos", "queremos"}
	if lang == LangPT {
		auxiliaries = []string{"vamos", "vou", "posso", "podemos", "queremos", "a gente vai", "a gente pode"}
	}
	for _, aux := range auxiliaries {
		out = append(out, aux+" "+inf)
		for _, c := range clitics {
			out = append(out, aux+" "+inf+c, aux+" "+inf+" "+c, aux+" "+c+" "+inf)
		}
	}
	return out
}

// reduplicated: a one-character Chinese verb said softly, "改改", "改一改",
// "改一下", "改下".
func reduplicated(syllables []string) []string {
	var out []string
	for _, s := range syllables {
		out = append(out, s+s, s+"一"+s, s+"一下", s+"下")
	}
	return out
}

// valueArticles introduce a value as a noun: "a 5", "un 10", "um 10".
var valueArticles = map[string]bool{"a": true, "an": true, "un": true, "una": true, "um": true, "uma": true}

// valueBlocked: words between an article and a number that make it a
// quantity ("a cada 5 meses", "a total of 4").
var valueBlocked = map[string]bool{"cada": true, "each": true, "every": true, "per": true, "total": true,
	"mais": true, "more": true, "mas": true, "only": true, "solo": true, "apenas": true, "so": true, "de": true, "of": true}

// valueFollowers may follow a value that is a rating ("a 5 from you", "un
// 10 para nosotros", "a 4 at least"); any other word makes the number a
// quantity ("a 10 minute wait", "um 10 de desconto").
var valueFollowers = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range []string{"from", "for", "to", "at", "this", "now", "today", "please", "and", "when", "if",
		"would", "will", "could", "is", "be", "too", "thanks", "thank", "on", "in", "then", "next", "maybe",
		"para", "pra", "por", "ya", "ja", "hoy", "hoje", "y", "e", "si", "se", "cuando", "quando", "seria", "estaria",
		"nos", "no", "na", "en", "em", "aqui", "ahi", "ai", "de novo", "otra", "outra", "tambem", "tambien", "vez", "ok", "sim", "si", "us"} {
		m[skeleton(w)] = true
	}
	return m
}()

// valueFromTo: a value given by the buyer to the shop is the rating.
var valueFromTo = func() map[string]bool {
	m := map[string]bool{}
	for _, p := range []string{"from you", "for us", "from u", "de vos", "de usted", "de ti", "para nosotros", "para nos",
		"pra nos", "pra gente", "de voce", "de vc", "pra loja", "para la tienda", "para a loja", "to us",
		"de tu", "de su", "da sua", "da tua", "de vc"} {
		f := strings.Fields(p)
		m[skeleton(f[0])+" "+skeleton(f[1])] = true
	}
	return m
}()

// valueHits finds ratings named by a bare value: an article or a give verb
// before a number ("a quick 5", "drop us a five", "dar um 10"), a range
// ("a 4 or 5") read by its last number, followed by nothing or a word that
// cannot be its noun. They become ratings only beside an ask, a give verb
// or a benefit (promoteValues). And "get $5 back", a benefit.
func valueHits(u textUnits, words []string, hits []hit) []hit {
	var out []hit
	for i := range u.toks {
		if u.kinds[i] != tokWord {
			continue
		}
		if words[i] == "back" && i >= 2 && isDigits(words[i-1]) && strings.HasPrefix(words[i-2], "get") || words[i] == "back" && i >= 2 && isDigits(words[i-1]) && words[i-2] == "got" {
			out = append(out, hit{conBenefit, u.start[i-1], u.end[i], "get … back"})
		}
		// Spelled "one", "uno", "um" are pronouns as often as numbers ("a new one").
		if n, ok := scoreValue(words[i]); !ok || !isDigits(words[i]) && n < "4" && n != "10" {
			continue
		}
		start := -1
		switch {
		case i > 0 && u.kinds[i-1] == tokWord && valueArticles[words[i-1]]:
			start = u.start[i-1]
		case i > 1 && u.kinds[i-2] == tokWord && valueArticles[words[i-2]] && u.kinds[i-1] == tokWord &&
			!valueBlocked[words[i-1]] && !isDigits(words[i-1]):
			start = u.start[i-2]
		default:
			for _, h := range hits {
				if h.c == conSolicit && h.end <= u.start[i] && u.start[i]-h.end <= 2*unitsWord {
					start = h.start
				}
			}
		}
		if start < 0 {
			continue
		}
		last := i
		if p := rangePartner(words, i, 1); p > 0 {
			last = p
		}
		// "un 5 o un 6", "a 7 or an 8": a range with a value no rating scale
		// offers as a choice is a size or a quantity.
		if p := rangePartner(words, i, -1); p >= 0 && (!ratingChoice(words[p]) || !ratingChoice(words[i])) ||
			last != i && (!ratingChoice(words[i]) || !ratingChoice(words[last])) {
			continue
		}
		f := last + 1
		c := conRatingValue
		if f+1 < len(u.toks) && valueFromTo[words[f]+" "+words[f+1]] {
			c = conRating // "a 5 from you", "un 10 para nosotros": asked of the buyer for the shop
		} else if f < len(u.toks) && u.kinds[f] == tokWord && !valueFollowers[words[f]] {
			continue
		}
		out = append(out, hit{c, start, u.end[last], words[i-1] + " " + words[last]})
		if c == conRating && topValue(words[last]) {
			out = append(out, hit{conPositive, start, u.end[last], words[i-1] + " " + words[last]})
		}
	}
	return out
}

// pricedBenefits: an amount before a word that may be a benefit makes it
// one ("a $10 credit", "500 points", "a $10 Amazon card").
func pricedBenefits(u textUnits, words []string, hits []hit) []hit {
	for k, h := range hits {
		if h.c != conBenefitUnsure {
			continue
		}
		for i := range u.toks {
			if u.kinds[i] == tokWord && isDigits(words[i]) && (u.end[i] == h.start || u.end[i]+unitsWord == h.start) {
				hits[k].c = conBenefit
			}
		}
	}
	return hits
}

// sellerSubjects and sellerAuxiliaries: "we've updated the size chart",
// "I have removed the old listing" — the seller's own change, not a request.
var (
	sellerSubjects    = map[string]bool{"we": true, "i": true, "weve": true, "ive": true, "hemos": true, "he": true, "temos": true, "tenho": true}
	sellerAuxiliaries = map[string]bool{"ve": true, "have": true, "has": true, "had": true, "already": true, "just": true,
		"ii": true, "wiii": true, "d": true, "wouid": true, "re": true, "are": true, "aready": true, "aiready": true, "ya": true, "ja": true, "aso": true, "aiso": true}
)

// sellerOwnChanges drops a change verb whose subject is the seller.
func sellerOwnChanges(u textUnits, words []string, hits []hit) []hit {
	out := hits[:0]
	for _, h := range hits {
		if (h.c == conChange || h.c == conChangeForward) && sellerBefore(u, words, h.start) {
			continue
		}
		out = append(out, h)
	}
	return out
}

func sellerBefore(u textUnits, words []string, start int) bool {
	i := 0
	for i < len(u.toks) && u.start[i] < start {
		i++
	}
	for k, j := 0, i-1; j >= 0 && k < 3 && u.kinds[j] == tokWord; j, k = j-1, k+1 {
		if sellerSubjects[words[j]] {
			return true
		}
		if !sellerAuxiliaries[words[j]] {
			return false
		}
	}
	return false
}

// unexplained counts the words no concept covers, articles and the words
// that may follow a value aside.
func unexplained(u textUnits, words []string, hits []hit) int {
	n := 0
	for i := range u.toks {
		if u.kinds[i] != tokWord || valueArticles[words[i]] || valueFollowers[words[i]] || intensifiers[words[i]] {
			continue
		}
		covered := false
		for _, h := range hits {
			if h.start <= u.start[i] && u.end[i] <= h.end {
				covered = true
				break
			}
		}
		if !covered {
			n++
		}
	}
	return n
}

// questionedRating finds a short question that is nothing but a top rating:
// "Five out of five? 😇", "¿Un 10?", "¿Un 10 de tu parte?", "5⭐?".
func questionedRating(text string) (string, bool) {
	if !strings.ContainsAny(text, "?？") {
		return "", false
	}
	start := 0
	for i, r := range text {
		switch r {
		case '.', '!', ';', '\n', '。', '！', '；':
			start = i + utf8.RuneLen(r)
		case '?', '？':
			q := text[start:i]
			start = i + utf8.RuneLen(r)
			if utf8.RuneCountInString(q) > 40 {
				continue
			}
			hits, other := findConceptsIn(q, true)
			if other > 1 {
				continue
			}
			rating, positive, thanks := false, false, false
			for _, h := range hits {
				rating = rating || h.c == conRating
				positive = positive || h.c == conPositive
				thanks = thanks || h.c == conThanks
			}
			if rating && positive && !thanks {
				return strings.TrimSpace(q) + "?", true
			}
		}
	}
	return "", false
}

var rangeWords = map[string]bool{"or": true, "o": true, "ou": true, "to": true, "a": true}

// rangePartner: the other value of "X or Y" ("4 or 5", "un 5 o un 6")
// after (dir 1) or before (dir -1) the value at i, or -1.
func rangePartner(words []string, i, dir int) int {
	j := i + dir
	if dir < 0 && j >= 0 && valueArticles[words[j]] {
		j--
	}
	if j < 0 || j >= len(words) || !rangeWords[words[j]] || words[j] == "a" && dir < 0 {
		return -1
	}
	j += dir
	if j >= 0 && j < len(words) && dir > 0 && valueArticles[words[j]] {
		j++
	}
	if j < 0 || j >= len(words) {
		return -1
	}
	if _, ok := scoreValue(words[j]); !ok {
		return -1
	}
	return j
}

// ratingChoice: the values a buyer is asked to choose between as a rating.
func ratingChoice(w string) bool {
	n, _ := scoreValue(w)
	return n == "1" || n == "2" || n == "3" || n == "4" || n == "5" || n == "10"
}

// valueContext: the concepts that make a value the buyer's rating.
func valueContext(c concept) bool {
	switch c {
	case conAsk, conSolicit, conBenefit, conBenefitUnsure, conCondition, conChange, conChangeForward, conIncentive, conRating:
		return true
	}
	return false
}

// promoteValues turns a rating value into the rating (a top one positive)
// when an ask, a give or change verb, a condition or a benefit stands
// within nearAsk of it, and drops it otherwise ("a 5 from the judges" is
// not asked of anyone).
func promoteValues(hits []hit, question bool) []hit {
	out := hits[:0:0]
	var promoted []hit
	for _, h := range hits {
		if h.c != conRatingValue {
			out = append(out, h)
			continue
		}
		for _, o := range hits {
			if question || valueContext(o.c) && distance(o, h) <= nearAsk {
				promoted = append(promoted, hit{conRating, h.start, h.end, h.term})
				if topValue(h.term) {
					promoted = append(promoted, hit{conPositive, h.start, h.end, h.term})
				}
				break
			}
		}
	}
	return append(out, promoted...)
}

// topValue: a lexicon value ("full marks") or a number that is a top score.
func topValue(term string) bool {
	f := strings.Fields(term)
	if len(f) == 0 {
		return false
	}
	n, ok := scoreValue(f[len(f)-1])
	return !ok || topScore(n)
}

// questionParticles end a Chinese yes/no question; after a change verb they
// make it a request: "能撤掉吗", "能改一下不", "删了呗".
var questionParticles = "吗不呗吧嘛么"

// questionHits adds an ask where a question particle ends a Chinese clause
// (an address or a filler may follow: "吗亲", "不呀") within three
// characters of a change verb.
func questionHits(u textUnits, hits []hit) []hit {
	var out []hit
	for i := range u.toks {
		if u.kinds[i] != tokHan {
			continue
		}
		rs := []rune(u.toks[i])
		tail := len(rs)
		for tail > 0 && strings.ContainsRune("亲哈呀啊呢", rs[tail-1]) && len(rs)-tail < 2 {
			tail--
		}
		if tail == 0 || !strings.ContainsRune(questionParticles, rs[tail-1]) {
			continue
		}
		at := u.start[i] + tail - 1
		for _, h := range hits {
			if h.c == conChange && h.end <= at && at-h.end <= 3 {
				out = append(out, hit{conAsk, at, at + 1, string(rs[tail-1])})
				break
			}
		}
	}
	return out
}
