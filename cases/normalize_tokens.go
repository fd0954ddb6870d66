package cases

import (
	"regexp"
	"strings"
	"unicode"
)

// expandTokens rewrites word tokens (shorthand, leetspeak, stretched
// letters) and turns star counts into one star token.
func expandTokens(toks []token) []token {
	var out []token
	for _, t := range toks {
		switch t.kind {
		case tokWord:
			for _, w := range expandWord(t.text) {
				w.joined = t.joined
				out = append(out, w)
			}
		case tokHan:
			out = append(out, splitHanStars(t.text)...)
		default:
			out = append(out, t)
		}
	}
	return mergeStarCounts(out)
}

var (
	// unitSuffix: digits followed by a unit or ordinal are a quantity, not leetspeak.
	unitSuffix = regexp.MustCompile(`^\d+(st|nd|rd|th|h|hs|hr|hrs|min|mins|x|am|pm|kg|g|cm|mm|m|ml|l|k|gb|mb|tb|w|v|mah|pcs|pc|un|uds|d|dias|horas|o|a|ª|º)$`)
	// numberThenWord: "5stars", "5estrellas".
	numberThenWord = regexp.MustCompile(`^(\d+)(\pL{2,})$`)
	leetDigits     = map[rune]rune{'0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g'}
)

// expandWord normalises one word token into one or more tokens.
func expandWord(w string) []token {
	if exp, ok := shorthand[w]; ok {
		return wordTokens(exp)
	}
	hasLetter, hasDigit := false, false
	for _, r := range w {
		hasLetter = hasLetter || unicode.IsLetter(r)
		hasDigit = hasDigit || unicode.IsDigit(r)
	}
	switch {
	case !hasLetter || unitSuffix.MatchString(w):
		return []token{{kind: tokWord, text: w}}
	case hasDigit:
		if m := numberThenWord.FindStringSubmatch(w); m != nil && starWords[m[2]] {
			return []token{{kind: tokStars, text: m[1]}}
		}
	}
	w = strings.Map(func(r rune) rune {
		if l, ok := leetDigits[r]; ok && hasDigit {
			return l
		}
		if l, ok := leetInWord[r]; ok {
			return l
		}
		return r
	}, w)
	w = squeezeRepeats(w)
	if exp, ok := shorthand[w]; ok {
		return wordTokens(exp)
	}
	return []token{{kind: tokWord, text: w}}
}

func wordTokens(s string) []token {
	var out []token
	for _, f := range strings.Fields(s) {
		out = append(out, token{kind: tokWord, text: f})
	}
	return out
}

// squeezeRepeats shortens a letter repeated three or more times to two
// ("pleeeease" → "pleease"); the lexicons compare words without doubles.
func squeezeRepeats(w string) string {
	rs := []rune(w)
	out := rs[:0:0]
	for i, r := range rs {
		if i >= 2 && unicode.IsLetter(r) && rs[i-1] == r && rs[i-2] == r {
			continue
		}
		out = append(out, r)
	}
	return string(out)
}

// shorthand expands chat abbreviations in en, es and pt.
var shorthand = map[string]string{
	"u": "you", "ur": "your", "yr": "your", "r": "are", "pls": "please", "plz": "please", "plse": "please",
	"plx": "please", "pleez": "please", "plis": "please", "pl0x": "please", "thx": "thanks", "thnx": "thanks",
	"ty": "thank you", "cud": "could", "cld": "could", "wud": "would", "wld": "would", "shud": "should",
	"cn": "can", "b4": "before", "gr8": "great", "rvw": "review", "revw": "review", "rvws": "reviews",
	"fb": "feedback", "fdbk": "feedback", "fbk": "feedback", "pts": "points", "pnts": "points",
	"xfa": "por favor", "porfa": "por favor", "porfis": "por favor", "pf": "por favor", "pfv": "por favor",
	"pfvr": "por favor", "q": "que", "xq": "porque", "pq": "porque", "vc": "voce", "vcs": "voces",
	"tb": "tambem", "tbm": "tambem", "obg": "obrigado", "msg": "message",
}

// starWords count stars after a number.
var starWords = map[string]bool{
	"star": true, "stars": true, "estrella": true, "estrellas": true, "estrellita": true, "estrellitas": true,
	"estrela": true, "estrelas": true, "estrelinha": true, "estrelinhas": true,
}

// numberWords read a spelled-out star count.
var numberWords = map[string]string{
	"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "ten": "10",
	"uno": "1", "una": "1", "dos": "2", "tres": "3", "cuatro": "4", "cinco": "5", "diez": "10",
	"um": "1", "uma": "1", "duas": "2", "quatro": "4", "dez": "10",
}

var hanDigits = map[rune]string{'一': "1", '二': "2", '两': "2", '三': "3", '四': "4", '五': "5", '六': "6", '七': "7", '八': "8", '九': "9", '十': "10"}

// splitHanStars takes star counts out of a Chinese run: "给五星好评" →
// "给", ★5, "好评". "星期" (week) and other 星 words are not stars.
func splitHanStars(s string) []token {
	rs := []rune(s)
	var out []token
	start := 0
	for i := 0; i < len(rs); i++ {
		if rs[i] != '星' || (i+1 < len(rs) && strings.ContainsRune("期座球空际巴光河系辰", rs[i+1])) {
			continue
		}
		j := i
		if j > 0 && rs[j-1] == '颗' {
			j--
		}
		count := ""
		if j > 0 {
			if d, ok := hanDigits[rs[j-1]]; ok {
				count = d
				j--
			}
		}
		// A lone 星 without a count is only a star next to a rating word.
		if count == "" && j == i && !(i+1 < len(rs) && rs[i+1] == '级') {
			continue
		}
		if j > start {
			out = append(out, token{kind: tokHan, text: string(rs[start:j])})
		}
		out = append(out, token{kind: tokStars, text: count})
		start = i + 1
		if start < len(rs) && rs[start] == '级' {
			start++
			i++
		}
	}
	if start < len(rs) {
		out = append(out, token{kind: tokHan, text: string(rs[start:])})
	}
	return out
}

// mergeStarCounts joins a count with the stars it counts: "5 stars",
// "five stars", "5 ★", "5*", "5 星", "5/5".
func mergeStarCounts(toks []token) []token {
	var out []token
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		// Spaced glyphs count together: "★ ★ ★".
		if t.kind == tokStars && t.text == "" && i+1 < len(toks) && toks[i+1].kind == tokStars && toks[i+1].text == "" {
			n := 0
			for ; i < len(toks) && toks[i].kind == tokStars && toks[i].text == ""; i++ {
				n++
			}
			i--
			out = append(out, token{kind: tokStars, text: itoa(n)})
			continue
		}
		if t.kind == tokWord && i+1 < len(toks) {
			n, isNumber := numberWords[t.text]
			if isDigits(t.text) {
				n, isNumber = t.text, true
			}
			next := toks[i+1]
			switch {
			case isNumber && next.kind == tokWord && starWords[next.text],
				isNumber && next.kind == tokStars && next.text == "":
				out = append(out, token{kind: tokStars, text: n})
				i++
				continue
			case isNumber && next.kind == tokHan && strings.HasPrefix(next.text, "星") && !strings.HasPrefix(next.text, "星期"):
				out = append(out, token{kind: tokStars, text: n})
				if rest := strings.TrimPrefix(next.text, "星"); rest != "" {
					out = append(out, token{kind: tokHan, text: rest})
				}
				i++
				continue
			}
		}
		if t.kind == tokWord && (t.text == "5/5" || t.text == "10/10") {
			t = token{kind: tokStars, text: strings.Split(t.text, "/")[0]}
		}
		out = append(out, t)
	}
	return out
}
