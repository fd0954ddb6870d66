package cases

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Normalize turns an outgoing text into the canonical form the compliance
// guard reads: lower case without accents, Traditional Chinese as Simplified,
// invisible and format characters gone, spaced-out letters and characters
// rejoined ("r e v i e w", "评 价"), star glyphs and star counts as one token
// ("★5" for "5 stars", "⭐⭐⭐⭐⭐", "5*", "五星", "5/5"), leetspeak and
// shorthand expanded ("r3v13w", "pls", "ur"). Words are separated by one
// space, Chinese runs are kept together, and "。" marks a sentence end.
// Normalize(Normalize(s)) == Normalize(s) (fuzzed).
func Normalize(s string) string {
	return renderTokens(normalizedTokens(s))
}

// normalizedTokens is Normalize before rendering: the guard reads these, and
// knows which words were rejoined from spaced-out letters.
func normalizedTokens(s string) []token {
	s = toSimplified(foldMarks(benefitEmoji.Replace(s)))
	return expandTokens(pinyinTokens(joinSpacedLetters(mergeHanRuns(lexGuard([]rune(s))))))
}

// foldMarks lower-cases, strips accents and other combining marks, drops
// format characters (zero-width joiners, soft hyphens, bidi marks) and
// variation selectors, and maps look-alike Cyrillic and Greek letters. One
// round can expose another (NFKC of "ϐ" is "β"), so it runs to a fixed point.
func foldMarks(s string) string {
	for range 4 {
		next := foldMarksOnce(s)
		if next == s {
			break
		}
		s = next
	}
	return s
}

func foldMarksOnce(s string) string {
	s = norm.NFD.String(strings.ToLower(norm.NFKC.String(s)))
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf, unicode.Variation_Selector) {
			continue
		}
		if latin, ok := confusables[r]; ok {
			r = latin
		}
		b.WriteRune(r)
	}
	return norm.NFC.String(b.String())
}

// confusables are Cyrillic and Greek letters that look like Latin ones and
// are used to hide words from keyword filters ("rеview" with a Cyrillic е).
var confusables = map[rune]rune{
	'а': 'a', 'в': 'b', 'е': 'e', 'ё': 'e', 'і': 'i', 'ї': 'i', 'ј': 'j', 'к': 'k', 'м': 'm', 'н': 'h',
	'о': 'o', 'р': 'p', 'с': 'c', 'т': 't', 'у': 'y', 'х': 'x', 'ѕ': 's', 'ԁ': 'd', 'ԛ': 'q', 'ԝ': 'w',
	'α': 'a', 'β': 'b', 'ε': 'e', 'η': 'n', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ο': 'o', 'ρ': 'p', 'τ': 't',
	'υ': 'u', 'χ': 'x', 'ω': 'w', 'ς': 's', 'σ': 's', 'μ': 'u', 'ı': 'i',
}

// tokenKind tells the guard's tokens apart.
type tokenKind uint8

const (
	tokWord  tokenKind = iota // letters and digits (Latin, and any non-Chinese script)
	tokHan                    // a run of Chinese characters
	tokStars                  // star glyphs: text holds how many
	tokEnd                    // a sentence end
)

// sentenceMark is how a sentence end is written in normalised text: an ASCII
// '.' between Chinese characters is read as an obfuscating filler.
const sentenceMark = "。"

type token struct {
	kind   tokenKind
	text   string
	joined bool // rejoined from spaced-out letters: may hold several words
}

// starGlyphs are the symbols people type for rating stars.
var starGlyphs = map[rune]bool{
	'★': true, '☆': true, '✩': true, '✪': true, '✫': true, '✬': true, '✭': true, '✮': true, '✯': true,
	'✰': true, '⭐': true, '🌟': true, '✦': true, '✧': true, '⋆': true, '✶': true, '✷': true, '✸': true,
	'✹': true, '✺': true, '*': true, '٭': true, '⭑': true, '⭒': true,
}

// sentenceEnds end a sentence; ASCII '.' only when it is not inside a
// number or between spaced-out characters (decided by lexGuard).
var sentenceEnds = map[rune]bool{'.': true, '!': true, '?': true, ';': true, '\n': true, '。': true, '！': true, '？': true, '；': true, '…': true}

// clauseEnds separate Chinese clauses: "很好，评价" must not read as "好评"
// (NFKC has made '，' and '：' ASCII by then).
var clauseEnds = map[rune]bool{',': true, '、': true, ':': true}

// leetInWord are symbols read as letters inside a word ("r@ting", "$tar").
var leetInWord = map[rune]rune{'@': 'a', '$': 's', '€': 'e', '!': 'i', '|': 'l', '£': 'l'}

func isWordRune(r rune) bool {
	return (unicode.IsLetter(r) || unicode.IsDigit(r)) && !unicode.Is(unicode.Han, r)
}

// lexGuard splits folded text into tokens. Separators between two Chinese
// characters are dropped ("好 评", "好.评" read as "好评"); Chinese sentence
// punctuation is kept as a sentence end.
func lexGuard(rs []rune) []token {
	var out []token
	emit := func(t token) {
		if t.kind == tokEnd && (len(out) == 0 || out[len(out)-1].kind == tokEnd) {
			return
		}
		out = append(out, t)
	}
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.Is(unicode.Han, r):
			j := i
			var b strings.Builder
			for j < len(rs) {
				if unicode.Is(unicode.Han, rs[j]) {
					b.WriteRune(rs[j])
					j++
					continue
				}
				// Skip obfuscating separators between Chinese characters.
				k := j
				for k < len(rs) && hanFiller(rs[k]) {
					k++
				}
				if k > j && k < len(rs) && unicode.Is(unicode.Han, rs[k]) {
					j = k
					continue
				}
				break
			}
			emit(token{kind: tokHan, text: b.String()})
			i = j
		case isWordRune(r) || (leetInWord[r] != 0 && i+1 < len(rs) && isWordRune(rs[i+1]) && unicode.IsLetter(rs[i+1])):
			j := i + 1
			for j < len(rs) && (isWordRune(rs[j]) || (leetInWord[rs[j]] != 0 && j+1 < len(rs) && isWordRune(rs[j+1]))) {
				j++
			}
			// Numbers stay one token: "59.90", "4,5", "5/5".
			for j+1 < len(rs) && (rs[j] == '.' || rs[j] == ',' || rs[j] == '/') && isNumber(string(rs[i:j])) && unicode.IsDigit(rs[j+1]) {
				j++
				for j < len(rs) && unicode.IsDigit(rs[j]) {
					j++
				}
			}
			// A hashtag runs words together ("#reviewus"): read it as a rejoined run.
			emit(token{kind: tokWord, text: string(rs[i:j]), joined: i > 0 && rs[i-1] == '#'})
			i = j
		case r == '*' && !asteriskStars(rs, i, out):
			i++ // emphasis or a bullet, not a rating
		case starGlyphs[r]:
			j := i
			for j < len(rs) && starGlyphs[rs[j]] {
				j++
			}
			n := j - i
			// A canonical "★5" keeps its count on the next pass.
			k := j
			for k < len(rs) && rs[k] >= '0' && rs[k] <= '9' && n == 1 && rs[i] == '★' {
				k++
			}
			if k > j && j == i+1 {
				emit(token{kind: tokStars, text: string(rs[j:k])})
				i = k
				continue
			}
			count := ""
			if n > 1 {
				count = itoa(n)
			}
			emit(token{kind: tokStars, text: count})
			i = j
		case r == '%':
			emit(token{kind: tokWord, text: "percent"}) // "10% off" reads "10 percent off"
			i++
		case clauseEnds[r]:
			if (len(out) > 0 && out[len(out)-1].kind == tokHan) || nextIsHan(rs, i+1) {
				emit(token{kind: tokEnd, text: sentenceMark})
			}
			i++
		case sentenceEnds[r]:
			emit(token{kind: tokEnd, text: sentenceMark})
			i++
		default:
			i++
		}
	}
	if len(out) > 0 && out[len(out)-1].kind == tokEnd {
		out = out[:len(out)-1]
	}
	return out
}

// hanFiller: characters people put between Chinese characters to break
// keyword matches; Chinese sentence punctuation is not one of them.
func hanFiller(r rune) bool {
	if clauseEnds[r] || sentenceEnds[r] && r != '.' {
		return false
	}
	return !isWordRune(r) && !unicode.Is(unicode.Han, r) && !starGlyphs[r]
}

// asteriskStars: asterisks are stars after a number ("5*", "5 *") or in a
// run of three or more ("*****"); one or two are emphasis.
func asteriskStars(rs []rune, i int, out []token) bool {
	j := i
	for j < len(rs) && rs[j] == '*' {
		j++
	}
	if j-i >= 3 {
		return true
	}
	if i > 0 && rs[i-1] == '*' {
		return false
	}
	return len(out) > 0 && out[len(out)-1].kind == tokWord && isDigits(out[len(out)-1].text) &&
		(i > 0 && (unicode.IsDigit(rs[i-1]) || rs[i-1] == ' '))
}

// isNumber: digits with decimal separators or a slash.
func isNumber(s string) bool {
	return s != "" && strings.Trim(s, "0123456789.,/") == "" && s[0] >= '0' && s[0] <= '9'
}

func nextIsHan(rs []rune, i int) bool {
	for ; i < len(rs) && unicode.IsSpace(rs[i]); i++ {
	}
	return i < len(rs) && unicode.Is(unicode.Han, rs[i])
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func itoa(n int) string {
	if n <= 0 {
		return "0"
	}
	var d []byte
	for ; n > 0; n /= 10 {
		d = append([]byte{byte('0' + n%10)}, d...)
	}
	return string(d)
}

// mergeHanRuns joins Chinese runs that only a skipped symbol separated
// ("能*报"), as the next reading of the output would.
func mergeHanRuns(toks []token) []token {
	var out []token
	for _, t := range toks {
		if n := len(out); n > 0 && t.kind == tokHan && out[n-1].kind == tokHan {
			out[n-1].text += t.text
			continue
		}
		out = append(out, t)
	}
	return out
}

// joinSpacedLetters rejoins three or more single letters or digits in a row
// ("r e v i e w", "r.e.v.i.e.w", "5 s t a r s"), sentence ends between them
// included.
func joinSpacedLetters(toks []token) []token {
	single := func(t token) bool { return t.kind == tokWord && len([]rune(t.text)) == 1 }
	var out []token
	for i := 0; i < len(toks); {
		if !single(toks[i]) {
			out = append(out, toks[i])
			i++
			continue
		}
		j, n, last := i, 0, i
		var b strings.Builder
		for j < len(toks) && (single(toks[j]) || toks[j].kind == tokEnd && j+1 < len(toks) && single(toks[j+1])) {
			if single(toks[j]) {
				b.WriteString(toks[j].text)
				n++
				last = j
			}
			j++
		}
		if n < 3 {
			out = append(out, toks[i])
			i++
			continue
		}
		out = append(out, token{kind: tokWord, text: b.String(), joined: true})
		i = last + 1
	}
	return out
}

func renderTokens(toks []token) string {
	var b strings.Builder
	for i, t := range toks {
		if i > 0 {
			b.WriteByte(' ')
		}
		if t.kind == tokStars {
			b.WriteString("★")
		}
		b.WriteString(t.text)
	}
	return b.String()
}
