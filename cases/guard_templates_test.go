package cases

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Every template the automatic paths send is clean for the guard: no
// violation and nothing for a person to approve, even where the platform
// forbids review requests. (Once templates become editable, saving one must
// run the same ScreenText check.)
func TestTemplatesPassTheGuardWithoutDoubt(t *testing.T) {
	for _, m := range Marketplaces {
		strict := RulesFor(m)
		strict.ForbidsReviewChangeRequest = true
		for _, p := range TemplatePurposes {
			for _, issue := range Issues {
				for _, lang := range Languages {
					for _, v := range varsFor(p, issue) {
						text, err := Render(p, m, lang, v)
						if err != nil {
							continue // no public channel (Amazon)
						}
						gc := GuardContext{OffersRemedy: p == PurposeRemedyOffer}
						verdict := ScreenText(strict, p.Kind(), text, gc)
						assert.True(t, verdict.Clean(), "%s/%s/%s/%s: %+v\n%s", m, p, issue, lang, verdict, text)
					}
				}
			}
		}
	}
}

// The guard's unsure cases go to a person rather than being refused or let
// through: a word that may mean the review, next to an ask.
func TestScreenTextDoubts(t *testing.T) {
	for _, c := range []struct {
		m    Marketplace
		text string
		gc   GuardContext
	}{
		{Amazon, "Please review the score once more and tell us.", GuardContext{}},
		{EBay, "Your refund is done ⭐", GuardContext{OffersRemedy: true}},
		{Taobao, "我们看到您的评价了，可以告诉我们具体情况吗？", GuardContext{}},
		{Amazon, "We read your review. Could you send a photo?", GuardContext{}},
	} {
		v := ScreenText(RulesFor(c.m), TextMessage, c.text, c.gc)
		assert.Empty(t, v.Violations, c.text)
		assert.NotEmpty(t, v.Doubts, c.text)
		assert.Empty(t, CheckText(RulesFor(c.m), TextMessage, c.text, c.gc), c.text)
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"Please change it to ⭐⭐⭐⭐⭐!": "please change it to ★5",
		"r e v i e w":                "review",
		"Ｃｈａｎｇｅ ｙｏｕｒ ｒｅｖｉｅｗ":         "change your review",
		"re\u200bview":               "review",
		"能不能把評價改成五星好評":               "能不能把评价改成 ★5 好评",
		"好 评 返 现":                    "好评返现",
		"r3v13w pls, 5* thx":         "review please ★5 thanks",
		"Avaliação 5 estrelas":       "avaliacao ★5",
		"rеview (Cyrillic е)":        "review cyrillic e",
		"很好，评价":                      "很好 。 评价",
		"𝐫𝐞𝐯𝐢𝐞𝐰 **bold** 5/5 星期五":    "review bold ★5 星期五",
		"hao ping fan-xian 5 kuai":   "好评返现 5 kuai",
		"亲给个hao3ping2呗":              "亲给个好评呗",
		"#5stars #reviewus 🙏":        "★5 reviewus please",
	} {
		assert.Equal(t, want, Normalize(in), in)
	}
}

// Some Traditional characters simplify in steps (薴 → 苧 → 苎): Normalize
// reaches the end in one call (found by FuzzNormalize).
func TestNormalizeSimplifiesToTheEnd(t *testing.T) {
	for _, s := range []string{"薴", "000薴", "薴麻評價"} {
		n := Normalize(s)
		assert.Equal(t, n, Normalize(n), s)
	}
}

// The guard runs in Update validators: it must stay fast.
func BenchmarkScreenText(b *testing.B) {
	texts := []string{
		"Hello! We are sorry your order arrived damaged. We will send you a replacement within 48 hours, with shipping paid by us. If you agree, just reply here.",
		"亲，您好！非常抱歉，商品的质量没有达到您的期望。我们将在48小时内为您免费补发，运费由我们承担。如您同意，直接回复我们即可。",
		"Vamos reembolsar o valor total e você não precisa devolver o produto. Se estiver de acordo, responda aqui.",
	}
	for b.Loop() {
		for _, text := range texts {
			ScreenText(RulesFor(Taobao), TextMessage, text, GuardContext{OffersRemedy: true})
		}
	}
}
