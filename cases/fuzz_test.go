package cases

import (
	"slices"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

var ruleOrder = []string{RuleEmpty, RuleNoChannel, RuleTooLong, RuleCharset, RuleHTML, RuleLink, RuleContactData,
	RulePrivateData, RuleHostileWords, RuleReviewChangeRequest, RuleReviewConditionedRemedy}

func FuzzCheckText(f *testing.F) {
	f.Add("Hola María, llame al 11 2345-6789 o visite shop.com", uint8(0), uint8(0), "María", "2000003508418234", true)
	f.Add("好评返现，加我微信 abc123", uint8(3), uint8(1), "张三", "123", false)
	f.Add("<b>Please change your review</b>", uint8(2), uint8(2), "", "", false)
	f.Add("name at gmail dot com ＷＷＷ．ＳＨＯＰ．ＣＯＭ", uint8(1), uint8(0), "Ana", "", true)
	f.Add("", uint8(0), uint8(0), "", "", false)
	f.Fuzz(func(t *testing.T, text string, mIdx, kindIdx uint8, name, order string, offers bool) {
		m := Marketplaces[int(mIdx)%len(Marketplaces)]
		kind := []TextKind{TextMessage, TextPublicReply, TextAppeal}[int(kindIdx)%3]
		gc := GuardContext{BuyerName: name, OrderID: order, BuyerID: order, OffersRemedy: offers}
		first := CheckText(RulesFor(m), kind, text, gc)
		if first == nil {
			t.Fatal("nil slice")
		}
		if again := CheckText(RulesFor(m), kind, text, gc); !slices.Equal(first, again) {
			t.Fatalf("unstable: %v then %v", first, again)
		}
		verdict := ScreenText(RulesFor(m), kind, text, gc)
		if !slices.Equal(verdict.Violations, first) {
			t.Fatalf("ScreenText and CheckText disagree: %v, %v", verdict.Violations, first)
		}
		for _, d := range verdict.Doubts {
			if d.Rule != RuleReviewChangeRequest && d.Rule != RuleReviewConditionedRemedy {
				t.Fatalf("doubt outside the review rules: %v", d)
			}
		}
		last := -1
		for _, v := range first {
			i := slices.Index(ruleOrder, v.Rule)
			if i < 0 || i <= last {
				t.Fatalf("unknown, repeated or out-of-order rule %q in %v", v.Rule, first)
			}
			last = i
		}
		if utf8.RuneCountInString(text) > LimitFor(RulesFor(m), kind) && LimitFor(RulesFor(m), kind) > 0 &&
			!slices.ContainsFunc(first, func(v Violation) bool { return v.Rule == RuleTooLong }) {
			t.Fatalf("over-long text not refused: %d runes", utf8.RuneCountInString(text))
		}
	})
}

// FuzzNormalize: the guard's normalisation never panics, is idempotent and
// yields valid UTF-8 without format characters.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"Please change it to ⭐⭐⭐⭐⭐!", "r e v i e w", "能不能把評價改成五星好評", "好 评 返 现",
		"r3v13w pls, 5* thx", "Avaliação 5 estrelas", "很好，评价", "re\u200bview", "5 5 ★", "a b 5stars", "𝐫𝐞𝐯𝐢𝐞𝐰", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Normalize(s)
		if again := Normalize(n); again != n {
			t.Fatalf("not idempotent: %q → %q → %q", s, n, again)
		}
		if !utf8.ValidString(n) {
			t.Fatalf("invalid UTF-8 from %q: %q", s, n)
		}
		for _, r := range n {
			if unicode.Is(unicode.Cf, r) {
				t.Fatalf("format character %U left in %q", r, n)
			}
		}
	})
}

func FuzzAddBusinessDuration(f *testing.F) {
	f.Add(int64(1773360000), int64(8*time.Hour), int8(8), int8(21), uint8(1))
	f.Add(int64(1772942400), int64(24*time.Hour), int8(0), int8(24), uint8(2)) // New York, spring forward
	f.Add(int64(1793512800), int64(4*time.Hour), int8(1), int8(4), uint8(2))   // New York, fall back
	f.Add(int64(0), int64(0), int8(21), int8(8), uint8(0))
	f.Add(int64(-1), int64(-5), int8(-3), int8(30), uint8(5))
	zones := []string{"UTC", "America/Sao_Paulo", "America/New_York", "America/Santiago", "Asia/Shanghai", "Australia/Lord_Howe"}
	locs := make([]*time.Location, len(zones))
	for i, z := range zones {
		loc, err := LoadZone(z)
		if err != nil {
			f.Fatal(err)
		}
		locs[i] = loc
	}
	const span = int64(200 * 365 * 24 * 3600) // keep instants within 1870–2170
	f.Fuzz(func(t *testing.T, fromUnix, d int64, start, end int8, zone uint8) {
		from := time.Unix(fromUnix%span, 0).UTC()
		dur := time.Duration(d % int64(2*365*24*time.Hour))
		bh := BusinessHours{StartHour: int(start), EndHour: int(end), Location: locs[int(zone)%len(locs)]}
		due := AddBusinessDuration(from, dur, bh)
		if due.Before(from) {
			t.Fatalf("due %s before from %s", due, from)
		}
		if dur <= 0 {
			if !due.Equal(from) {
				t.Fatalf("non-positive duration moved the time: %s → %s", from, due)
			}
			return
		}
		if got := BusinessDurationBetween(from, due, bh); got != dur {
			t.Fatalf("round trip: added %s, measured %s (from %s, bh %+v)", dur, got, from, bh)
		}
		if later := AddBusinessDuration(from, dur+time.Second, bh); !later.After(due) {
			t.Fatalf("not monotonic: %s then %s", due, later)
		}
	})
}

func FuzzClassify(f *testing.F) {
	for _, samples := range classifierSamples {
		for _, s := range samples {
			f.Add(s.text, 1, "")
		}
	}
	f.Add("", 3, "fr")
	f.Add("ＬＬＥＧÓ ＲＯＴＯ \u200b", 7, "es")
	f.Fuzz(func(t *testing.T, text string, rating int, lang string) {
		c := Classify(text, rating, lang)
		if !c.Issue.Valid() {
			t.Fatalf("invalid issue %q", c.Issue)
		}
		if !slices.Contains(Languages, c.Language) {
			t.Fatalf("unsupported language %q", c.Language)
		}
		if c.Confidence < 0 || c.Confidence > 1 {
			t.Fatalf("confidence %v", c.Confidence)
		}
		if c.Matched == nil {
			t.Fatal("nil matched")
		}
		if again := Classify(text, rating, lang); !slices.Equal(c.Matched, again.Matched) || c.Issue != again.Issue || c.Confidence != again.Confidence {
			t.Fatalf("unstable: %+v then %+v", c, again)
		}
	})
}

func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"0", "59.90", "59.9", "0.01", "1.", "92233720368547757.07", "-1", "1.234", "abc", " 12.30 "} {
		f.Add(s, int64(5990))
	}
	f.Fuzz(func(t *testing.T, s string, minor int64) {
		// String → Parse round-trips every amount ParseMoney can hold.
		if m := Money(minor); m >= 0 && int64(m)/100 < (1<<63-1)/100-1 {
			back, err := ParseMoney(m.String())
			if err != nil || back != m {
				t.Fatalf("%d → %q → %d, %v", m, m.String(), back, err)
			}
		}
		// Whatever parses, re-parses from its canonical form to the same value.
		v, err := ParseMoney(s)
		if err != nil {
			return
		}
		if v < 0 {
			t.Fatalf("%q parsed as negative %d", s, v)
		}
		if back, err := ParseMoney(v.String()); err != nil || back != v {
			t.Fatalf("%q → %d → %q → %d, %v", s, v, v.String(), back, err)
		}
	})
}
