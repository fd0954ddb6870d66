package cases

import (
	"strings"
	"unicode"
)

// foldText prepares text for keyword matching: lower case, full-width forms
// turned into ASCII, Latin accents dropped (é→e, ã→a, ñ→n) and invisible
// characters removed. Buyers and agents type "ＬＬＥＧÓ", "llego" and "LLEGÓ"
// for the same word; the rules are written once, in folded form.
func foldText(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		r = foldRune(r)
		if r < 0 {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// foldRune returns the folded form of r, or -1 when r is to be dropped.
func foldRune(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII block
		r -= 0xFEE0
	case r == 0x3000: // ideographic space
		return ' '
	case r == 0x3002 || r == 0xFF61: // ideographic full stop
		return '.'
	case r == 0x200B || r == 0x200C || r == 0x200D || r == 0x2060 || r == 0xFEFF || r == 0x00AD:
		return -1 // zero-width characters and soft hyphens hide words from matching
	}
	r = unicode.ToLower(r)
	if base, ok := latinBase[r]; ok {
		return base
	}
	return r
}

// latinBase maps the accented letters of Spanish, Portuguese and common
// European names to their base letter.
var latinBase = map[rune]rune{
	'á': 'a', 'à': 'a', 'â': 'a', 'ã': 'a', 'ä': 'a', 'å': 'a',
	'é': 'e', 'è': 'e', 'ê': 'e', 'ë': 'e',
	'í': 'i', 'ì': 'i', 'î': 'i', 'ï': 'i',
	'ó': 'o', 'ò': 'o', 'ô': 'o', 'õ': 'o', 'ö': 'o',
	'ú': 'u', 'ù': 'u', 'û': 'u', 'ü': 'u',
	'ç': 'c', 'ñ': 'n', 'ý': 'y', 'ÿ': 'y',
}

// wordText folds s and turns every character that is neither a letter nor a
// digit into a single space, with a space at both ends, so a Latin keyword
// can be matched as " word " without hitting "chocolate" for "late".
func wordText(s string) string {
	f := foldText(s)
	var b strings.Builder
	b.Grow(len(f) + 2)
	b.WriteByte(' ')
	space := true
	for _, r := range f {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			space = false
			continue
		}
		if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	if !space {
		b.WriteByte(' ')
	}
	return b.String()
}

// hasHan reports whether s contains a Chinese character.
func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// phrase is a keyword prepared for matching against wordText output.
// Chinese keywords match as substrings (Chinese has no spaces between words);
// Latin keywords match whole words, or as a word prefix when written "stem*".
type phrase struct {
	original string
	needle   string
}

func newPhrase(kw string) phrase {
	if hasHan(kw) {
		return phrase{original: kw, needle: foldText(kw)}
	}
	stem, prefix := strings.CutSuffix(kw, "*")
	needle := strings.TrimSuffix(wordText(stem), " ")
	if !prefix {
		needle += " "
	}
	return phrase{original: kw, needle: needle}
}

// in reports whether the phrase occurs in text prepared by wordText.
func (p phrase) in(words string) bool {
	return p.needle != "" && strings.Contains(words, p.needle)
}
