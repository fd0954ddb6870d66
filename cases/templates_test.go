package cases

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every purpose × issue × language × marketplace renders, fits the limit,
// passes the guard for its kind and never asks for a review change.
func TestRenderEveryCombination(t *testing.T) {
	for _, m := range Marketplaces {
		rules := RulesFor(m)
		for _, p := range TemplatePurposes {
			for _, issue := range Issues {
				for _, lang := range Languages {
					for _, v := range varsFor(p, issue) {
						name := string(m) + "/" + string(p) + "/" + string(issue) + "/" + lang + "/" + string(v.Remedy)
						text, err := Render(p, m, lang, v)
						if p == PurposePublicReply && !rules.PublicReply {
							require.ErrorIs(t, err, ErrTemplateInput, name)
							continue
						}
						require.NoError(t, err, name)
						assert.LessOrEqual(t, utf8.RuneCountInString(text), LimitFor(rules, p.Kind()), name)
						assert.Empty(t, CheckText(rules, p.Kind(), text, GuardContext{OffersRemedy: p == PurposeRemedyOffer}), name)
						// Stricter than any platform: no text asks for a review change anywhere.
						strict := rules
						strict.ForbidsReviewChangeRequest = true
						for _, viol := range CheckText(strict, p.Kind(), text, GuardContext{OffersRemedy: true}) {
							if p != PurposeAppeal {
								t.Errorf("%s: %s: %s\n%s", name, viol.Rule, viol.Message, text)
							}
						}
						if p.Kind() == TextPublicReply && m == MercadoLibre {
							assert.Less(t, utf8.RuneCountInString(text), 160, name)
						}
					}
				}
			}
		}
	}
}

func varsFor(p TemplatePurpose, issue Issue) []TemplateVars {
	base := TemplateVars{Issue: issue, Currency: "BRL", ShopName: "Casa Aurora Utilidades"}
	if p != PurposeRemedyOffer {
		return []TemplateVars{base}
	}
	var out []TemplateVars
	for _, r := range remedyTable[issue] {
		v := base
		v.Remedy = r
		v.Amount = RemedyCost(r, 1234567, 2490, 0)
		out = append(out, v)
	}
	return out
}

func TestRenderRefusesBadInput(t *testing.T) {
	ok := TemplateVars{Issue: IssueQuality, Remedy: RemedyReship}
	_, err := Render(PurposeFirstContact, Marketplace("etsy"), LangEN, ok)
	assert.ErrorIs(t, err, ErrTemplateInput)
	_, err = Render(PurposeFirstContact, EBay, LangEN, TemplateVars{Issue: "bogus"})
	assert.ErrorIs(t, err, ErrTemplateInput)
	_, err = Render(TemplatePurpose("bogus"), EBay, LangEN, ok)
	assert.ErrorIs(t, err, ErrTemplateInput)
	_, err = Render(PurposeRemedyOffer, EBay, LangEN, TemplateVars{Issue: IssueQuality})
	assert.ErrorIs(t, err, ErrTemplateInput, "a remedy offer needs a remedy")
	_, err = Render(PurposeRemedyOffer, EBay, LangEN, TemplateVars{Issue: IssueQuality, Remedy: RemedyCoupon, Amount: -1})
	assert.ErrorIs(t, err, ErrTemplateInput)
	_, err = Render(PurposePublicReply, Amazon, LangEN, ok)
	assert.ErrorIs(t, err, ErrTemplateInput, "Amazon has no public replies")
	// The shop name is the caller's data: it passes the guard like the rest.
	_, err = Render(PurposeFollowUp, EBay, LangEN, TemplateVars{Issue: IssueQuality, ShopName: "www.cheap-shop.com"})
	assert.ErrorIs(t, err, ErrTemplateRejected)
}

func TestRenderLanguageFallbacks(t *testing.T) {
	v := TemplateVars{Issue: IssueLogisticsDelay}
	fr, err := Render(PurposeFirstContact, EBay, "fr", v)
	require.NoError(t, err)
	en, err := Render(PurposeFirstContact, EBay, LangEN, v)
	require.NoError(t, err)
	assert.Equal(t, en, fr, "unknown languages fall back to English")

	// Mercado Libre messages are ISO-8859-1: Chinese falls back to English there…
	ml, err := Render(PurposeFirstContact, MercadoLibre, LangZH, v)
	require.NoError(t, err)
	assert.Equal(t, en, ml)
	// …but not on Taobao.
	tb, err := Render(PurposeFirstContact, Taobao, LangZH, v)
	require.NoError(t, err)
	assert.Contains(t, tb, "包裹")
}

func TestRenderRemedyOfferStatesTheAmount(t *testing.T) {
	v := TemplateVars{Issue: IssueLogisticsDelay, Remedy: RemedyCoupon, Amount: 1550, Currency: "brl", ShopName: "Aurora"}
	pt, err := Render(PurposeRemedyOffer, MercadoLibre, LangPT, v)
	require.NoError(t, err)
	assert.Contains(t, pt, "cupom (15.50 BRL)")
	assert.True(t, strings.HasSuffix(pt, "\nEquipe Aurora"), pt)

	v.Currency = "CNY"
	zh, err := Render(PurposeRemedyOffer, Taobao, LangZH, v)
	require.NoError(t, err)
	assert.Contains(t, zh, "15.50元")

	v.Amount = 0
	en, err := Render(PurposeRemedyOffer, EBay, LangEN, v)
	require.NoError(t, err)
	assert.Contains(t, en, "send you a coupon for your next purchase")
}

func TestRenderDropsTheSignatureBeforeFailing(t *testing.T) {
	long := strings.Repeat("Loja ", 40)
	v := TemplateVars{Issue: IssueServiceAttitude, Remedy: RemedyDedicatedAgent, ShopName: long}
	text, err := Render(PurposeRemedyOffer, MercadoLibre, LangPT, v)
	require.NoError(t, err)
	assert.NotContains(t, text, "Equipe")
	assert.LessOrEqual(t, utf8.RuneCountInString(text), RulesFor(MercadoLibre).MessageMaxChars)
}

func TestRenderPublicReplyUsesTheShortVariantOnMercadoLibre(t *testing.T) {
	v := TemplateVars{Issue: IssueDamagedOrLost}
	ml, err := Render(PurposePublicReply, MercadoLibre, LangES, v)
	require.NoError(t, err)
	ebay, err := Render(PurposePublicReply, EBay, LangES, v)
	require.NoError(t, err)
	assert.Less(t, utf8.RuneCountInString(ml), 160)
	assert.Greater(t, utf8.RuneCountInString(ebay), utf8.RuneCountInString(ml))
	for _, text := range []string{ml, ebay} {
		assert.Contains(t, text, "en privado", "says the shop tried to reach the buyer")
		assert.Contains(t, text, "mensajes", "points to the platform's messages")
	}
}

// The public half of an apology comes after the buyer answered: it must not
// say the shop never heard back, and it passes the guard within every limit.
func TestPublicApologyReply(t *testing.T) {
	neverHeard := []string{"not heard back", "no recibimos respuesta", "não tivemos resposta", "暂未收到回复"}
	for _, m := range Marketplaces {
		rules := RulesFor(m)
		if !rules.PublicReply {
			continue
		}
		for _, lang := range Languages {
			for _, issue := range Issues {
				text, err := Render(PurposePublicReply, m, lang, TemplateVars{Issue: issue, Remedy: RemedyApology})
				if err != nil {
					t.Fatalf("%s/%s/%s: %v", m, lang, issue, err)
				}
				for _, phrase := range neverHeard {
					if strings.Contains(text, phrase) {
						t.Errorf("%s/%s apology says %q: %s", m, lang, phrase, text)
					}
				}
				if vs := CheckText(rules, TextPublicReply, text, GuardContext{}); len(vs) > 0 {
					t.Errorf("%s/%s apology refused by the guard: %v", m, lang, vs)
				}
			}
		}
	}
}
