package cases

import (
	"slices"
	"strings"
)

// Word families instead of word lists: a verb is listed once, by its
// infinitive, and the guard reads its conjugated forms ("revise" → revised,
// revising; "actualizar" → actualice, actualizó, actualizaras; "subir" →
// sube, sobe), so a paraphrase in another tense or person is still the same
// concept. The generators over-produce (a form no one writes costs nothing);
// they only have to cover what people write.

// enVerbForms: base, -s, -ed, -ing (the lexicons compare without doubled
// letters, so "edited"/"editted" are one word), plus phrasal particles.
func enVerbForms(verb string) []string {
	words := strings.Fields(verb)
	head, rest := words[0], strings.Join(words[1:], " ")
	forms := []string{head}
	if irr, ok := enIrregular[head]; ok {
		forms = append(forms, irr...)
	}
	stem := strings.TrimSuffix(head, "e")
	switch {
	case strings.HasSuffix(head, "y") && len(head) > 3 && !strings.ContainsRune("aeiou", rune(head[len(head)-2])):
		y := strings.TrimSuffix(head, "y")
		forms = append(forms, y+"ies", y+"ied", head+"ing")
	case strings.HasSuffix(head, "s") || strings.HasSuffix(head, "x") || strings.HasSuffix(head, "ch") || strings.HasSuffix(head, "sh"):
		forms = append(forms, head+"es", head+"ed", head+"ing")
	default:
		forms = append(forms, head+"s", stem+"ed", stem+"ing")
	}
	if rest == "" {
		return forms
	}
	out := make([]string, len(forms))
	for i, f := range forms {
		out[i] = f + " " + rest
	}
	return out
}

var enIrregular = map[string][]string{
	"take": {"took", "taken"}, "give": {"gave", "given"}, "write": {"wrote", "written"},
	"rewrite": {"rewrote", "rewritten"}, "put": {"put"}, "leave": {"left"}, "redo": {"redid", "redone", "redoes"},
	"undo": {"undid", "undone", "undoes"}, "rethink": {"rethought"}, "send": {"sent"}, "make": {"made"},
	"pay": {"paid"}, "get": {"got", "gotten"}, "knock": {"knocked"}, "sort": {"sorted"},
}

// romanceVerbForms conjugates a regular Spanish or Portuguese infinitive
// as the buyer would be asked or described (present, subjunctive,
// imperative, voseo, preterite, imperfect
// subjunctive, conditional, participles, gerund, clitics; not the first
// person, "cambiamos el embalaje" is the seller's own change), with the
// spelling changes before e (c→qu, g→gu, z→c in Spanish) and before a/o
// (g→j). Accents are folded by Normalize, so "actualicé" is "actualice".
func romanceVerbForms(lang, inf string) []string {
	stem, class := inf[:len(inf)-2], inf[len(inf)-2:]
	if len(stem) < 3 { // "dar", "ver": only the listed forms, "de" and "da" are prepositions
		return append([]string{inf}, romanceIrregular[inf]...)
	}
	beforeE, beforeAO := stem, stem
	switch {
	case strings.HasSuffix(stem, "c") && class == "ar":
		beforeE = strings.TrimSuffix(stem, "c") + "qu"
	case strings.HasSuffix(stem, "g") && class == "ar":
		beforeE = stem + "u"
	case strings.HasSuffix(stem, "z") && class == "ar" && lang == LangES:
		beforeE = strings.TrimSuffix(stem, "z") + "c"
	case strings.HasSuffix(stem, "g") && class != "ar":
		beforeAO = strings.TrimSuffix(stem, "g") + "j"
	}
	forms := []string{inf, inf + "la", inf + "lo", inf + "las", inf + "los", inf + "nos", inf + "le"}
	add := func(base string, ends ...string) {
		for _, e := range ends {
			forms = append(forms, base+e)
		}
	}
	switch class {
	case "ar":
		add(stem, "a", "as", "an", "am", "ado", "ada", "ados", "adas", "ando", "aria", "arias",
			"arian", "ariam", "ariamos", "ara", "aras", "aran", "ase", "asse", "asses", "aste", "ou", "aron", "aram",
			"ala", "alo", "anos", "enos", "ai")
		add(beforeE, "e", "es", "en", "em", "ela", "elo", "enos")
	default:
		v := class[:1] // e or i
		add(stem, "e", "es", "en", "em", "ido", "ida", "idos", "iendo", v+"ndo", v+"ria", v+"rias",
			v+"riam", v+"rian", "iera", "ieras", "iese", v+"sse", "iste", "eu", "iu", "io", "ieron", "eram", "iram",
			v+"la", v+"lo", "ais", "eis")
		add(beforeAO, "a", "as", "an", "am")
	}
	if irr, ok := romanceIrregular[inf]; ok {
		forms = append(forms, irr...)
	}
	return forms
}

var romanceIrregular = map[string][]string{
	"subir":    {"sobe", "sobem", "sobes"},
	"corregir": {"corrige", "corriges", "corrija", "corrijas", "corrijan", "corrigio", "corrigiera"},
	"corrigir": {"corrige", "corrijo", "corrija", "corrijam"},
	"rever":    {"reveja", "revejam", "reve", "reveem", "reviu", "revisse"},
	"refazer":  {"refaca", "refaz", "refez", "refizesse"},
	"rehacer":  {"rehaga", "rehaz", "rehizo", "rehiciera"},
	"poner":    {"ponga", "pongas", "pon", "pone", "puso", "pusiste", "pusiera"},
	"dar":      {"den", "dale", "denos", "danos", "dio", "diste", "diera", "desse", "deu", "der", "dar"},
	"hacer":    {"haga", "haz", "hizo", "hiciste", "hiciera"},
	"fazer":    {"faca", "faz", "fez", "fizesse", "fizer"},
	"escribir": {"escrito", "escrita"},
	"escrever": {"escrito", "escrita"},
	"devolver": {"devuelva", "devuelve", "devolvemos", "devolvo"},
}

// expandVerbs turns a language's infinitives into every form.
func expandVerbs(lang string, verbs []string) []string {
	var out []string
	for _, v := range verbs {
		switch lang {
		case LangEN:
			out = append(out, enVerbForms(v)...)
		case LangES, LangPT:
			words := strings.Fields(v)
			rest := strings.Join(words[1:], " ")
			for _, f := range romanceVerbForms(lang, words[0]) {
				if rest != "" {
					f += " " + rest
				}
				out = append(out, f)
			}
		default:
			out = append(out, v)
		}
	}
	return out
}

// referents are what the buyer wrote, named without the word "review":
// "what you posted", "lo que escribiste", "o que postou". They are the
// review next to an owner ("about us") or after a change verb ("edit what
// you wrote"), and nothing otherwise ("what you wrote on the return form").
func referents(lang string) []string {
	var pronouns, verbs []string
	switch lang {
	case LangEN:
		pronouns = []string{"what you", "everything you", "the things you", "the words you"}
		verbs = []string{"wrote", "posted", "said", "put", "left", "shared", "typed", "published", "gave us", "commented"}
	case LangES:
		pronouns = []string{"lo que", "lo que nos", "todo lo que"}
		verbs = []string{"escribio", "escribiste", "publico", "publicaste", "puso", "pusiste", "dijo", "dijiste",
			"posteo", "posteaste", "comento", "comentaste", "dejo", "dejaste", "opino", "opinaste"}
	case LangPT:
		pronouns = []string{"o que", "o que nos", "aquilo que", "tudo o que"}
		verbs = []string{"escreveu", "escreveste", "postou", "publicou", "colocou", "disse", "deixou", "comentou",
			"falou", "opinou", "botou"}
	}
	var out []string
	for _, p := range pronouns {
		for _, v := range verbs {
			out = append(out, p+" "+v)
		}
	}
	return out
}

// isReferent: a term built by referents.
func isReferent(term string) bool {
	for _, p := range []string{"what you ", "everything you ", "the things you ", "the words you ", "lo que ", "todo lo que ", "o que ", "aquilo que ", "tudo o que "} {
		if strings.HasPrefix(term, p) {
			return true
		}
	}
	return false
}

// diminutiveBases: "estrellita" → "estrella", "avaliacaozinha" →
// "avaliacao", "notinha" → "nota", "regalito" → "regalo"; tried only for
// rating and benefit words.
func diminutiveBases(w string) []string {
	var out []string
	for _, d := range []struct{ suffix, repl string }{
		{"zinhas", "s"}, {"zinhos", "s"}, {"zinha", ""}, {"zinho", ""}, {"inhas", "as"}, {"inhos", "os"},
		{"inha", "a"}, {"inho", "o"}, {"citas", "s"}, {"citos", "s"}, {"cita", ""}, {"cito", ""},
		{"itas", "as"}, {"itos", "os"}, {"ita", "a"}, {"ito", "o"},
	} {
		if base, ok := strings.CutSuffix(w, d.suffix); ok && len(base) >= 3 {
			out = append(out, base+d.repl)
		}
	}
	return out
}

// transpositions: a long word with two neighbouring letters swapped
// ("reveiw", "chnage", "udpate") reads as the word.
func transpositions(w string) []string {
	rs := []rune(w)
	var out []string
	for i := 0; i+1 < len(rs); i++ {
		if rs[i] == rs[i+1] {
			continue
		}
		t := append([]rune(nil), rs...)
		t[i], t[i+1] = t[i+1], t[i]
		out = append(out, string(t))
	}
	return out
}

// benefitEmoji are read as the word "gift": 🎁 💰 💸 💵 🧧 🤑.
// Praying hands are "please" in chat ("⭐⭐⭐⭐⭐ 🙏").
var benefitEmoji = strings.NewReplacer("🙏", " please ", "🎁", " gift ", "💰", " gift ", "💸", " gift ", "💵", " gift ", "🧧", " 红包 ", "🤑", " gift ")

// wordFamilyHits reads a word the lexicons do not list as a diminutive or a
// swapped-letter spelling of a rating, change or benefit word.
// The diminutive is read off the word as written: its skeleton has lost
// the "l" of "regalito" ("regaito").
func wordFamilyHits(cl *compiledLexicons, w, raw string, start, end int) []hit {
	if cl.known[w] {
		return nil
	}
	var out []hit
	for _, b := range diminutiveBases(raw) {
		for _, t := range cl.byBase[skeleton(b)] {
			if t.c == conBenefit && len(b) < 5 { // "bonito" is not a little "bono"
				continue
			}
			out = append(out, hit{t.c, start, end, t.text})
		}
	}
	if len(w) >= 5 {
		for _, t := range cl.variants[w] {
			out = append(out, hit{t.c, start, end, t.text})
		}
	}
	return out
}

var numberSkeletons = func() map[string]string {
	m := map[string]string{}
	for k, v := range numberWords {
		m[skeleton(k)] = v
	}
	return m
}()

// scoreNouns take a number as a score: "nota 10", "score 5", "puntaje 10".
var scoreNouns = map[string]bool{"nota": true, "notinha": true,
	"puntaje": true, "puntuacion": true, "pontuacao": true, "calificacion": true, "avaliacao": true}

// scoreValue reads a word as a score of at most ten.
// Words reach it as skeletons: "diez" is "dies" there (the chat plural
// "starz" → "stars"), so the spelled numbers are looked up by skeleton.
func scoreValue(w string) (string, bool) {
	if n, ok := numberSkeletons[w]; ok {
		return n, true
	}
	for _, n := range []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"} {
		if w == n {
			return n, true
		}
	}
	return "", false
}

func topScore(n string) bool { return n == "4" || n == "5" || n == "9" || n == "10" }

// hanScoreExcluded: 分 followed by these is not a score ("五分钟", "三分之一", "一分钱").
var hanScoreExcluded = []rune("钟之钱期别享开店类配析量批布散手身区离割清辨")

// scoreHits finds ratings written as scores: "nota 10", "10 out of 10",
// "5 de 5", "五分", "1分".
func scoreHits(u textUnits, words []string) []hit {
	var out []hit
	add := func(start, end int, n, term string) {
		out = append(out, hit{conRating, start, end, term})
		if topScore(n) {
			out = append(out, hit{conPositive, start, end, term})
		}
	}
	for i := range u.toks {
		switch u.kinds[i] {
		case tokWord:
			if i+1 < len(u.toks) && scoreNouns[words[i]] && u.kinds[i+1] == tokWord {
				if n, ok := scoreValue(words[i+1]); ok {
					add(u.start[i], u.end[i+1], n, words[i]+" "+words[i+1])
				}
			}
			n, isScore := scoreValue(words[i])
			if !isScore {
				continue
			}
			if i+3 < len(u.toks) && words[i+1] == "out" && words[i+2] == "of" {
				if m, ok := scoreValue(words[i+3]); ok && (m == "5" || m == "10") {
					add(u.start[i], u.end[i+3], n, "out of "+m)
				}
			}
			if i+2 < len(u.toks) && words[i+1] == "de" {
				if m, ok := scoreValue(words[i+2]); ok && (m == "5" || m == "10") && isDigits(words[i]) == isDigits(words[i+2]) {
					add(u.start[i], u.end[i+2], n, "de "+m)
				}
			}
			if i+1 < len(u.toks) && u.kinds[i+1] == tokHan && isDigits(words[i]) {
				rs := []rune(u.toks[i+1])
				if rs[0] == '分' && (len(rs) == 1 || !slices.Contains(hanScoreExcluded, rs[1])) {
					add(u.start[i], u.start[i+1]+1, n, words[i]+"分")
				}
			}
		case tokHan:
			rs := []rune(u.toks[i])
			for k := 1; k < len(rs); k++ {
				if rs[k] != '分' || rs[k-1] == '十' {
					continue
				}
				n, ok := hanDigits[rs[k-1]]
				if !ok || (k+1 < len(rs) && slices.Contains(hanScoreExcluded, rs[k+1])) {
					continue
				}
				add(u.start[i]+k-1, u.start[i]+k+1, n, string(rs[k-1:k+1]))
			}
		}
	}
	return out
}

// Movement words next to a rating change it: "one more star", "una
// estrellita más", "knock that one star up", "take the review down".
var (
	incrementWords = map[string]bool{"more": true, "extra": true, "another": true, "mas": true, "mais": true, "otra": true, "outra": true}
	particleWords  = map[string]bool{"up": true, "down": true, "off": true}
)

func isStarTerm(term string) bool {
	return strings.Contains(term, "★") || strings.Contains(term, "star") || strings.Contains(term, "estrel") || strings.Contains(term, "星")
}

// movementHits adds a change where an increment word stands next to a star
// word, or a particle right after a rating; and an owner after a referent
// followed by "about"/"sobre" ("what you wrote about us").
func movementHits(u textUnits, words []string, hits []hit) []hit {
	var out []hit
	for i := range u.toks {
		if u.kinds[i] != tokWord {
			continue
		}
		w := hit{start: u.start[i], end: u.end[i], term: words[i]}
		for _, h := range hits {
			switch {
			case incrementWords[words[i]] && isRatingConcept(h.c) && isStarTerm(h.term) && distance(w, h) <= unitsWord:
				w.c = conChange
				out = append(out, w)
			case particleWords[words[i]] && (h.c == conRating || h.c == conRatingUnsure) && after(w, h, 2*unitsWord):
				w.c = conChange
				out = append(out, w)
			case (words[i] == "about" || words[i] == "sobre" || words[i] == "acerca") && h.c == conAmbiguous && isReferent(h.term) && h.end == w.start:
				w.c = conOwnerAfter
				out = append(out, w)
			case placeWords[words[i]] && h.c == conAmbiguous && isReferent(h.term) && h.end == w.start:
				w.c = conElsewhere
				out = append(out, w)
			default:
				continue
			}
			break
		}
	}
	return out
}

// placeWords after a referent put what was written somewhere else than a
// review ("what you wrote in the form", "lo que escribió en la nota del pedido").
var placeWords = map[string]bool{"in": true, "on": true, "at": true, "into": true, "en": true, "no": true, "na": true, "em": true, "nos": true, "nas": true}

func elsewhereAfter(hits []hit, h hit) bool {
	for _, o := range hits {
		if o.c == conElsewhere && o.start == h.end {
			return true
		}
	}
	return false
}

// articles before a star count make it an attribute when a noun the
// lexicons do not know follows: "a 5-star favourite", "un producto 5 estrellas".
var starArticles = map[string]bool{"a": true, "an": true, "um": true, "uma": true, "un": true, "una": true}

var starKeepFollowers = map[string]bool{"on": true, "in": true, "for": true, "to": true, "from": true, "now": true,
	"today": true, "this": true, "next": true, "and": true, "or": true, "if": true, "en": true, "em": true, "no": true,
	"na": true, "y": true, "e": true, "para": true, "pra": true, "por": true, "ya": true, "ja": true, "ahora": true, "agora": true}

// qualityNouns before a star count describe a product: "de calidad cinco estrellas".
var qualityNouns = map[string]bool{"calidad": true, "qualidade": true, "quality": true, "hotel": true, "nivel": true, "level": true, "padrao": true}

func attributiveStars(u textUnits, i int, words []string, cl *compiledLexicons) bool {
	if i == 0 || i+1 >= len(u.toks) || !starArticles[words[i-1]] || u.kinds[i+1] != tokWord {
		return false
	}
	next := words[i+1]
	return next != "" && !cl.known[next] && !starKeepFollowers[next] && !isDigits(next)
}
