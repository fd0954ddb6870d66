package mercadolibre

import "unicode/utf8"

const maxMessageChars = 350

// messageTextError says why Mercado Libre would refuse a post-sale message
// text: at most 350 characters, ISO-8859-1 (Latin-1) plus emoji ("los
// emoticones de este listado", emoji-java's list). Empty means acceptable.
func messageTextError(text string) (code, why string) {
	if n := utf8.RuneCountInString(text); n == 0 || n > maxMessageChars {
		return "text_length", "message must be 1–350 characters"
	}
	for _, r := range text {
		if r > 0xFF && !emoji(r) {
			return "charset", "message must be ISO-8859-1 or emoji; " + string(r) + " is neither"
		}
	}
	return "", ""
}

// emojiRanges are the Unicode blocks emoji come from, with the joiners that
// build them (ZWJ, variation selector 16, keycap). emoji-java's list is drawn
// from these; a rare symbol inside a block that the list lacks is refused by
// the platform as a permanent 400.
var emojiRanges = [][2]rune{
	{0x200D, 0x200D}, {0x203C, 0x203C}, {0x2049, 0x2049}, {0x20E3, 0x20E3}, {0x2122, 0x2122},
	{0x2139, 0x2139}, {0x2194, 0x21AA}, {0x231A, 0x23FA}, {0x24C2, 0x24C2}, {0x25AA, 0x25FE},
	{0x2600, 0x27BF}, {0x2934, 0x2935}, {0x2B05, 0x2B55}, {0x3030, 0x3030}, {0x303D, 0x303D},
	{0x3297, 0x3299}, {0xFE0F, 0xFE0F}, {0x1F000, 0x1FAFF},
}

func emoji(r rune) bool {
	for _, rg := range emojiRanges {
		if r >= rg[0] && r <= rg[1] {
			return true
		}
	}
	return false
}

// messagingAgents: since 02/02/2026, on MLB and MLC a seller's message goes
// to the site's messaging agent ("to.user_id deberá contener el ID del
// Agente del país correspondiente"), not to the buyer. The documentation
// lists agent ids for other sites too, but states the rule for these two.
var messagingAgents = map[string]string{
	"MLB": "3037675074",
	"MLC": "3020819166",
}

// recipient is whom a seller's message is addressed to on the order's site.
func recipient(site, buyerID string) string {
	if agent, ok := messagingAgents[site]; ok {
		return agent
	}
	return buyerID
}
