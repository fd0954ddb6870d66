package cases

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRenderWithPrefersTheSellersTemplate(t *testing.T) {
	own := []SellerTemplate{
		{ID: "tpl_all", Version: 2, Purpose: PurposeFirstContact, Language: LangES,
			Body: "¡Hola! {apology} Escríbanos por aquí y lo resolvemos hoy mismo.\n{shop}"},
		{ID: "tpl_delay", Version: 1, Purpose: PurposeFirstContact, Issue: IssueLogisticsDelay, Language: LangES,
			Body: "¡Hola! {apology} Ya hablamos con el correo. Cuéntenos si necesita algo más.\n{shop}"},
	}
	v := TemplateVars{Issue: IssueQuality, ShopName: "Casa Norte"}
	text, used, err := RenderWith(own, PurposeFirstContact, MercadoLibre, LangES, v)
	require.NoError(t, err)
	require.NotNil(t, used)
	assert.Equal(t, "tpl_all", used.ID)
	assert.True(t, strings.HasSuffix(text, "\nCasa Norte"), text)
	assert.Contains(t, text, issueApology[LangES][IssueQuality])

	v.Issue = IssueLogisticsDelay
	_, used, err = RenderWith(own, PurposeFirstContact, MercadoLibre, LangES, v)
	require.NoError(t, err)
	assert.Equal(t, "tpl_delay", used.ID, "the issue's own template beats the general one")

	shipped, _ := Render(PurposeFollowUp, MercadoLibre, LangES, v)
	text, used, err = RenderWith(own, PurposeFollowUp, MercadoLibre, LangES, v)
	require.NoError(t, err)
	assert.Nil(t, used, "no follow-up of the seller's: the shipped text")
	assert.Equal(t, shipped, text)

	bad := []SellerTemplate{{ID: "tpl_bad", Purpose: PurposeFirstContact, Language: LangEN, Body: "Hi! {apology} Please change your review to 5 stars."}}
	_, used, err = RenderWith(bad, PurposeFirstContact, Amazon, LangEN, v)
	require.NoError(t, err)
	assert.Nil(t, used, "a template the guard refuses is never sent")
}

func TestCheckSellerTemplateRefusesWhatCanNeverPass(t *testing.T) {
	ok := SellerTemplate{Purpose: PurposeFirstContact, Language: LangES, Body: "¡Hola! {apology} Escríbanos por aquí y lo resolvemos.\n{shop}"}
	refused, _ := CheckSellerTemplate(ok, MercadoLibre, "Casa Norte")
	assert.Empty(t, refused)

	rules := func(vs []Violation) []string {
		out := []string{}
		for _, v := range vs {
			out = append(out, v.Rule)
		}
		return out
	}
	for name, c := range map[string]struct {
		t    SellerTemplate
		m    Marketplace
		rule string
	}{
		"asks for a better review":  {SellerTemplate{Purpose: PurposeFirstContact, Language: LangEN, Body: "Hi! {apology} Could you update your review to 5 stars?"}, Amazon, RuleReviewChangeRequest},
		"too long on Mercado Libre": {SellerTemplate{Purpose: PurposeFirstContact, Language: LangES, Body: strings.Repeat("Hola. ", 60) + "{apology}"}, MercadoLibre, RuleTooLong},
		"Chinese on Latin-1":        {SellerTemplate{Purpose: PurposeFollowUp, Language: LangZH, Body: "您好！{noun}的问题解决了吗？"}, MercadoLibre, RuleCharset},
		"unknown placeholder":       {SellerTemplate{Purpose: PurposeFollowUp, Language: LangEN, Body: "Hi {buyer}, is {noun} solved?"}, EBay, RuleUnknownPlaceholder},
		"no public replies":         {SellerTemplate{Purpose: PurposePublicReply, Language: LangEN, Body: "Sorry about {noun}."}, Amazon, RuleNoChannel},
		"empty":                     {SellerTemplate{Purpose: PurposeFollowUp, Language: LangEN, Body: "  "}, EBay, RuleEmpty},
		"a link":                    {SellerTemplate{Purpose: PurposeFollowUp, Language: LangEN, Body: "Is {noun} solved? See https://example.com/help"}, EBay, RuleLink},
	} {
		refused, _ := CheckSellerTemplate(c.t, c.m, "Shop")
		assert.Contains(t, rules(refused), c.rule, name)
	}
}
