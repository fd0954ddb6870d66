package cases

import (
	"sort"
	"strings"
	"unicode"
)

// Classification is the classifier's verdict on a review, with the keywords
// that decided it so the audit trail shows why.
type Classification struct {
	Issue      Issue    `json:"issue"`
	Severity   Severity `json:"severity"`
	Language   string   `json:"language"`   // zh, en, es, pt
	Confidence float64  `json:"confidence"` // 0..1
	Matched    []string `json:"matched"`    // keywords that decided it, for the audit trail
}

// Languages Redress writes and classifies in.
const (
	LangZH = "zh"
	LangEN = "en"
	LangES = "es"
	LangPT = "pt"
)

// Languages lists the supported languages in a stable order.
var Languages = []string{LangZH, LangEN, LangES, LangPT}

// DefaultConfidence is what an unmatched review gets: low enough that the
// workflow asks an agent to confirm the issue before acting on it.
const DefaultConfidence = 0.2

// DefaultIssue is the guess for a review no rule matched (a bare "1★" or
// "bad"). Quality is the most common cause behind wordless bad ratings and
// its remedies (reship, refund) are the safest to offer while an agent
// reclassifies; a wrong "malicious" guess would deny a real buyer a remedy.
const DefaultIssue = IssueQuality

func supportedLanguage(lang string) bool {
	for _, l := range Languages {
		if l == lang {
			return true
		}
	}
	return false
}

// DetectLanguage guesses zh, en, es or pt from the text; en when unsure.
func DetectLanguage(text string) string {
	var han, letters int
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
			letters++
		case unicode.IsLetter(r):
			letters++
		}
	}
	// Chinese needs far fewer characters than Latin scripts for the same
	// meaning, so a fifth of the letters being Han already means Chinese.
	if han > 0 && han*5 >= letters {
		return LangZH
	}
	lower := strings.ToLower(text)
	score := map[string]int{}
	for _, r := range lower {
		switch r {
		case 'ñ', '¿', '¡':
			score[LangES] += 3
		case 'ã', 'õ', 'ç', 'ê', 'ô':
			score[LangPT] += 3
		}
	}
	words := wordText(text)
	for _, lang := range []string{LangEN, LangES, LangPT} {
		for _, w := range langMarkers[lang] {
			score[lang] += strings.Count(words, " "+w+" ")
		}
	}
	best, bestScore := LangEN, 0
	for _, lang := range []string{LangEN, LangES, LangPT} { // fixed order: ties go to the earlier language
		if score[lang] > bestScore {
			best, bestScore = lang, score[lang]
		}
	}
	return best
}

// Classify decides what a review is about; language "" (or one Redress
// does not support) means detect it. It never fails: text without any known
// keyword (including empty text, allowed for a bare 1★) gets DefaultIssue
// with DefaultConfidence.
func Classify(text string, rating int, language string) Classification {
	sev, _ := SeverityOf(rating)
	if !supportedLanguage(language) {
		language = DetectLanguage(text)
	}
	hits := matchKeywords(wordText(text))

	score := map[Issue]int{}
	matched := map[Issue][]string{}
	for _, h := range hits {
		score[h.issue] += h.weight
		matched[h.issue] = append(matched[h.issue], h.keyword)
	}
	best, bestScore, second := DefaultIssue, 0, 0
	for _, is := range tieOrder {
		switch s := score[is]; {
		case s > bestScore:
			best, second, bestScore = is, bestScore, s
		case s > second:
			second = s
		}
	}
	if bestScore == 0 {
		return Classification{Issue: DefaultIssue, Severity: sev, Language: language,
			Confidence: DefaultConfidence, Matched: []string{}}
	}
	kws := matched[best]
	sort.Strings(kws)
	return Classification{Issue: best, Severity: sev, Language: language,
		Confidence: confidence(bestScore, second), Matched: kws}
}

// confidence grows with the winner's score and shrinks when a rival issue
// scored close to it: 3 vs 0 → 0.75, 2 vs 0 → 0.67, 3 vs 3 → 0.43.
func confidence(best, second int) float64 {
	c := float64(best) / float64(best+second+1)
	c = float64(int(c*100+0.5)) / 100 // two decimals keep audit entries readable
	switch {
	case c < 0.3:
		return 0.3 // something matched: always more than an unmatched review
	case c > 0.95:
		return 0.95 // keyword rules are never certain
	}
	return c
}

// compiledRule is one keyword of issueRules, ready to match.
type compiledRule struct {
	issue  Issue
	weight int
	phrase phrase
}

// compiledRules is built once from issueRules, in a fixed order, keeping the
// highest weight when a keyword is listed twice for the same issue.
var compiledRules = compileRules(issueRules)

func compileRules(rules []issueRule) []compiledRule {
	var out []compiledRule
	seen := map[string]int{} // issue+needle → index in out
	for _, r := range rules {
		for _, w := range []int{3, 2, 1} {
			for _, kw := range r.keywords[w] {
				p := newPhrase(kw)
				key := string(r.issue) + "\x00" + p.needle
				if i, ok := seen[key]; ok {
					if out[i].weight < w {
						out[i].weight = w
					}
					continue
				}
				seen[key] = len(out)
				out = append(out, compiledRule{issue: r.issue, weight: w, phrase: p})
			}
		}
	}
	return out
}

type keywordHit struct {
	issue      Issue
	weight     int
	keyword    string
	start, end int
}

// matchKeywords finds every keyword in words, longest first, and drops a
// keyword found inside a longer one already taken: "arrived broken" counts
// once for damage, not again as "broken"; "摔坏了" is damage, not "坏了".
func matchKeywords(words string) []keywordHit {
	var cands []keywordHit
	for _, r := range compiledRules {
		n := r.phrase.needle
		if n == "" {
			continue
		}
		for off := 0; off < len(words); {
			i := strings.Index(words[off:], n)
			if i < 0 {
				break
			}
			start, end := off+i, off+i+len(n)
			// The padding spaces of Latin needles are shared with neighbours.
			s, e := start, end
			if strings.HasPrefix(n, " ") {
				s++
			}
			if strings.HasSuffix(n, " ") {
				e--
			}
			cands = append(cands, keywordHit{issue: r.issue, weight: r.weight, keyword: r.phrase.original, start: s, end: e})
			off = start + 1
		}
	}
	sort.SliceStable(cands, func(i, j int) bool {
		li, lj := cands[i].end-cands[i].start, cands[j].end-cands[j].start
		if li != lj {
			return li > lj
		}
		return cands[i].start < cands[j].start
	})
	var taken, hits []keywordHit
	counted := map[string]bool{}
	for _, c := range cands {
		if overlapsAny(c, taken) {
			continue
		}
		taken = append(taken, c)
		key := string(c.issue) + "\x00" + c.keyword
		if !counted[key] { // a keyword repeated in the text counts once
			counted[key] = true
			hits = append(hits, c)
		}
	}
	return hits
}

// overlapsAny reports whether c overlaps a taken hit. The same span found by
// two issues' rules counts for both.
func overlapsAny(c keywordHit, taken []keywordHit) bool {
	for _, t := range taken {
		if c.start == t.start && c.end == t.end {
			continue
		}
		if c.start < t.end && t.start < c.end {
			return true
		}
	}
	return false
}
