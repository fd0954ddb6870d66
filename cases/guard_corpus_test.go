package cases

import (
	"bufio"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/longbridgeapp/opencc"
)

// The red-team corpus (testdata/guard): texts the guard must refuse or send
// to a person, multiplied by obfuscations, and legitimate texts it must let
// through. The test reports recall, refusals and approvals per language and
// fails below the targets.
const (
	targetRecall       = 0.995 // bad texts refused or sent to approval
	targetApprovalRate = 0.02  // legitimate texts sent to approval
)

type corpusLine struct {
	context, lang, text string
}

func readCorpus(t *testing.T, name string) []corpusLine {
	t.Helper()
	f, err := os.Open("testdata/guard/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []corpusLine
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.SplitN(line, "\t", 3)
		if len(parts) != 3 {
			t.Fatalf("%s: want context<TAB>lang<TAB>text: %q", name, line)
		}
		out = append(out, corpusLine{parts[0], parts[1], parts[2]})
	}
	return out
}

// screening is one way a text is sent: platform, kind and whether it offers a remedy.
type screening struct {
	m     Marketplace
	kind  TextKind
	offer bool
}

// badScreenings: where a bad text of a context must be caught.
func badScreenings(context string) []screening {
	switch context {
	case "ask":
		return []screening{{Amazon, TextMessage, false}, {Taobao, TextMessage, false}, {Taobao, TextPublicReply, false}}
	case "trade":
		return []screening{{EBay, TextMessage, false}, {MercadoLibre, TextMessage, false}, {Amazon, TextMessage, false},
			{Taobao, TextMessage, false}, {EBay, TextPublicReply, false}}
	case "remedy":
		return []screening{{EBay, TextMessage, true}, {MercadoLibre, TextMessage, true}, {Amazon, TextMessage, true}, {Taobao, TextMessage, true}}
	}
	return nil
}

// goodScreenings: where a legitimate text of a context is sent.
func goodScreenings(context string) []screening {
	base, _, _ := strings.Cut(context, "-")
	all := []Marketplace{EBay, MercadoLibre, Amazon, Taobao}
	var out []screening
	for _, m := range all {
		switch base {
		case "message":
			out = append(out, screening{m, TextMessage, false})
		case "remedy":
			out = append(out, screening{m, TextMessage, true})
		case "public":
			if RulesFor(m).PublicReply {
				out = append(out, screening{m, TextPublicReply, false})
			}
		}
	}
	return out
}

func isReviewRule(v Violation) bool {
	return v.Rule == RuleReviewChangeRequest || v.Rule == RuleReviewConditionedRemedy
}

// reviewOutcome: "refused", "approval" or "passed", by the review rules only
// (a Chinese text on Mercado Libre also breaks its charset rule).
func reviewOutcome(s screening, text string) string {
	v := ScreenText(RulesFor(s.m), s.kind, text, GuardContext{OffersRemedy: s.offer})
	if slices.ContainsFunc(v.Violations, isReviewRule) {
		return "refused"
	}
	if slices.ContainsFunc(v.Doubts, isReviewRule) {
		return "approval"
	}
	return "passed"
}

var simplifiedToTraditional = func() *opencc.OpenCC {
	cc, err := opencc.New("s2t")
	if err != nil {
		panic(err)
	}
	return cc
}()

// obfuscations of one text, named.
func obfuscations(lang, text string) map[string]string {
	out := map[string]string{"plain": text}
	out["zero-width"] = strings.Join(strings.Split(text, ""), "\u200b")
	out["full-width"] = strings.Map(func(r rune) rune {
		if r > ' ' && r < 0x7f {
			return r + 0xFEE0
		}
		return r
	}, text)
	if lang == LangZH {
		trad, err := simplifiedToTraditional.Convert(text)
		if err != nil {
			panic(err)
		}
		out["traditional"] = trad
		out["spaced"] = strings.Join(strings.Split(text, ""), " ")
		out["traditional-dotted"] = strings.Join(strings.Split(trad, ""), ".")
	} else {
		out["upper"] = strings.ToUpper(text)
		out["spaced"] = spaceLongestWord(text)
		out["leet"] = leet(text)
		out["joined-invisible"] = strings.ReplaceAll(text, " ", "\u2060 ")
	}
	for _, count := range []string{"5 stars", "five stars", "5 estrellas", "cinco estrellas", "5 estrelas", "cinco estrelas", "五星"} {
		if strings.Contains(text, count) {
			out["emoji-stars"] = strings.Replace(text, count, "⭐⭐⭐⭐⭐", 1)
		}
	}
	return out
}

func spaceLongestWord(text string) string {
	longest := ""
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len([]rune(w)) > len([]rune(longest)) {
			longest = w
		}
	}
	if longest == "" {
		return text
	}
	return strings.Replace(text, longest, strings.Join(strings.Split(longest, ""), " "), 1)
}

func leet(text string) string {
	words := strings.Fields(text)
	for i, w := range words {
		if len([]rune(w)) >= 5 {
			words[i] = strings.NewReplacer("e", "3", "a", "4", "o", "0", "i", "1").Replace(w)
		}
	}
	return strings.Join(words, " ")
}

type tally struct{ total, refused, approval int }

func (t tally) rate(n int) float64 {
	if t.total == 0 {
		return 0
	}
	return float64(n) / float64(t.total)
}

func TestGuardCorpusRecall(t *testing.T) {
	bad := readCorpus(t, "refuse.txt")
	perLang := map[string]*tally{}
	var all tally
	variants := 0
	for _, l := range bad {
		if perLang[l.lang] == nil {
			perLang[l.lang] = &tally{}
		}
		screens := badScreenings(l.context)
		if len(screens) == 0 {
			t.Fatalf("unknown context %q", l.context)
		}
		for name, text := range obfuscations(l.lang, l.text) {
			variants++
			for _, s := range screens {
				outcome := reviewOutcome(s, text)
				for _, tl := range []*tally{perLang[l.lang], &all} {
					tl.total++
					switch outcome {
					case "refused":
						tl.refused++
					case "approval":
						tl.approval++
					}
				}
				if outcome == "passed" {
					t.Logf("missed (%s, %s, %s %s): %q", l.context, name, s.m, s.kind, text)
				}
			}
		}
	}
	t.Logf("bad corpus: %d lines, %d variants, %d screenings", len(bad), variants, all.total)
	for _, lang := range Languages {
		if tl := perLang[lang]; tl != nil {
			t.Logf("  %s: caught %.2f%% (refused %.2f%%, approval %.2f%%) of %d", lang,
				100*tl.rate(tl.refused+tl.approval), 100*tl.rate(tl.refused), 100*tl.rate(tl.approval), tl.total)
		}
	}
	recall := all.rate(all.refused + all.approval)
	t.Logf("  all: caught %.2f%% (refused %.2f%%, approval %.2f%%)", 100*recall, 100*all.rate(all.refused), 100*all.rate(all.approval))
	if variants < 400 {
		t.Errorf("the bad corpus must hold at least 400 texts, has %d", variants)
	}
	if recall < targetRecall {
		t.Errorf("recall %.2f%% is below %.1f%%", 100*recall, 100*targetRecall)
	}
}

func TestGuardCorpusFalsePositives(t *testing.T) {
	good := readCorpus(t, "pass.txt")
	lines := map[string]int{}
	perLang := map[string]*tally{}
	var all tally
	count := func(lang, context, text string, s screening) {
		outcome := reviewOutcome(s, text)
		for _, tl := range []*tally{perLang[lang], &all} {
			tl.total++
			switch outcome {
			case "refused":
				tl.refused++
			case "approval":
				tl.approval++
			}
		}
		if outcome != "passed" {
			v := ScreenText(RulesFor(s.m), s.kind, text, GuardContext{OffersRemedy: s.offer})
			t.Logf("%s (%s, %s %s offer=%v): %q %v %v", outcome, context, s.m, s.kind, s.offer, text, v.Violations, v.Doubts)
		}
	}
	for _, l := range good {
		if perLang[l.lang] == nil {
			perLang[l.lang] = &tally{}
		}
		lines[l.lang]++
		screens := goodScreenings(l.context)
		if len(screens) == 0 {
			t.Fatalf("unknown context %q", l.context)
		}
		for _, s := range screens {
			count(l.lang, l.context, l.text, s)
		}
	}
	// Redress's own texts are legitimate messages too.
	templates := 0
	for _, m := range Marketplaces {
		for _, p := range []TemplatePurpose{PurposeFirstContact, PurposeRemedyOffer, PurposeFollowUp, PurposePublicReply} {
			for _, issue := range Issues {
				for _, lang := range Languages {
					for _, v := range varsFor(p, issue) {
						text, err := Render(p, m, lang, v)
						if err != nil {
							continue
						}
						if perLang[lang] == nil {
							perLang[lang] = &tally{}
						}
						templates++
						lines[lang]++
						count(lang, "template", text, screening{m, p.Kind(), p == PurposeRemedyOffer})
					}
				}
			}
		}
	}
	t.Logf("legitimate corpus: %d written texts, %d rendered templates, %d screenings", len(good), templates, all.total)
	for _, lang := range Languages {
		if tl := perLang[lang]; tl != nil {
			t.Logf("  %s: %d texts, refused %d, approval %.2f%% (%d of %d)", lang, lines[lang], tl.refused, 100*tl.rate(tl.approval), tl.approval, tl.total)
		}
	}
	t.Logf("  all: refused %d, approval %.2f%%", all.refused, 100*all.rate(all.approval))
	if len(good) < 150 || len(good)+templates < 200 {
		t.Errorf("the legitimate corpus is too small: %d written, %d templates", len(good), templates)
	}
	if all.refused > 0 {
		t.Errorf("%d legitimate screenings refused", all.refused)
	}
	if rate := all.rate(all.approval); rate > targetApprovalRate {
		t.Errorf("%.2f%% of legitimate screenings sent to approval, the target is at most %.0f%%", 100*rate, 100*targetApprovalRate)
	}
}

// TestGuardHeldOut reports the guard on paraphrases written apart from the
// lexicons, each set before the guard was run on it; its first figures are
// the honest ones, and once a round of changes has looked at its misses it
// is contaminated:
//   - heldout.txt, heldout2.txt: contaminated (rounds one and two);
//   - heldout3.txt: 94.27 % caught at its first run, then contaminated;
//   - heldout4.txt (written before round three, 172 bad, 73 legitimate):
//     81.19 % caught, 0 legitimate refused, 0.70 % sent to approval;
//   - heldout5.txt (written after round three): 89.94 % caught, 0 refused,
//     1.71 % approval; then contaminated by the fixes that followed;
//   - heldout6.txt (written after those): 93.39 % caught, 0 refused, 0 %
//     approval; then contaminated (its five misses fixed).
//
// Legitimate contexts: "pass" (a private message), "pass-remedy",
// "pass-public". The floor is modest, so a regression fails the test while
// a new paraphrase the guard misses does not: at least heldOutFloor of the
// bad screenings caught and no legitimate one refused.
const heldOutFloor = 0.90

func TestGuardHeldOut(t *testing.T) {
	for _, name := range []string{"heldout.txt", "heldout2.txt", "heldout3.txt", "heldout4.txt", "heldout5.txt", "heldout6.txt"} {
		t.Run(strings.TrimSuffix(name, ".txt"), func(t *testing.T) {
			if _, err := os.Stat("testdata/guard/" + name); err != nil {
				t.Skip("no held-out set")
			}
			bad, good := reportHeldOut(t, readCorpus(t, name))
			if rate := bad.rate(bad.refused + bad.approval); rate < heldOutFloor {
				t.Errorf("%s: %.2f%% of bad screenings caught, the floor is %.0f%%", name, 100*rate, 100*heldOutFloor)
			}
			if good.refused > 0 {
				t.Errorf("%s: %d legitimate screenings refused", name, good.refused)
			}
		})
	}
}

func reportHeldOut(t *testing.T, lines []corpusLine) (bad, good tally) {
	t.Helper()
	badLang, goodLang := map[string]*tally{}, map[string]*tally{}
	var langs []string
	for _, l := range lines {
		legit := l.context == "pass" || strings.HasPrefix(l.context, "pass-")
		var screens []screening
		if legit {
			kind := strings.TrimPrefix(strings.TrimPrefix(l.context, "pass"), "-")
			if kind == "" {
				kind = "message"
			}
			screens = goodScreenings(kind)
		} else {
			screens = badScreenings(l.context)
		}
		if len(screens) == 0 {
			t.Fatalf("unknown context %q", l.context)
		}
		if badLang[l.lang] == nil {
			badLang[l.lang], goodLang[l.lang] = &tally{}, &tally{}
			langs = append(langs, l.lang)
		}
		for _, s := range screens {
			outcome := reviewOutcome(s, l.text)
			tls := []*tally{&bad, badLang[l.lang]}
			if legit {
				tls = []*tally{&good, goodLang[l.lang]}
			}
			for _, tl := range tls {
				tl.total++
				switch outcome {
				case "refused":
					tl.refused++
				case "approval":
					tl.approval++
				}
			}
			if legit == (outcome != "passed") {
				t.Logf("%s (%s, %s %s): %q", outcome, l.context, s.m, s.kind, l.text)
			}
		}
	}
	slices.Sort(langs)
	for _, lang := range langs {
		b, g := badLang[lang], goodLang[lang]
		t.Logf("  %s: bad caught %.2f%% (refused %.2f%%, approval %.2f%%) of %d; legitimate refused %d, approval %d of %d", lang,
			100*b.rate(b.refused+b.approval), 100*b.rate(b.refused), 100*b.rate(b.approval), b.total, g.refused, g.approval, g.total)
	}
	t.Logf("held-out bad: caught %.2f%% (refused %.2f%%, approval %.2f%%) of %d screenings", 100*bad.rate(bad.refused+bad.approval), 100*bad.rate(bad.refused), 100*bad.rate(bad.approval), bad.total)
	t.Logf("held-out legitimate: refused %d, approval %.2f%% (%d) of %d screenings", good.refused, 100*good.rate(good.approval), good.approval, good.total)
	return bad, good
}

// BenchmarkGuardCorpus screens every line of the corpus and the held-out
// sets once per iteration, as a message that offers a remedy on Taobao.
func BenchmarkGuardCorpus(b *testing.B) {
	var texts []string
	for _, name := range []string{"refuse.txt", "pass.txt", "heldout.txt", "heldout2.txt", "heldout3.txt", "heldout4.txt", "heldout5.txt", "heldout6.txt"} {
		data, err := os.ReadFile("testdata/guard/" + name)
		if err != nil {
			continue
		}
		for _, line := range strings.Split(string(data), "\n") {
			if parts := strings.SplitN(line, "\t", 3); len(parts) == 3 && !strings.HasPrefix(line, "#") {
				texts = append(texts, parts[2])
			}
		}
	}
	b.ResetTimer()
	for b.Loop() {
		for _, text := range texts {
			ScreenText(RulesFor(Taobao), TextMessage, text, GuardContext{OffersRemedy: true})
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(texts)), "ns/text")
}
