package cases

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

type guardCase struct {
	name string
	m    Marketplace
	kind TextKind
	text string
	gc   GuardContext
	want []string // rule codes, in order
}

var mlBuyer = GuardContext{BuyerName: "María José Pérez", BuyerID: "123456789", OrderID: "2000003508418234"}

func rulesOf(vs []Violation) []string {
	out := []string{}
	for _, v := range vs {
		out = append(out, v.Rule)
	}
	return out
}

func runGuardCases(t *testing.T, cases []guardCase) {
	t.Helper()
	for _, c := range cases {
		want := c.want
		if want == nil {
			want = []string{}
		}
		got := CheckText(RulesFor(c.m), c.kind, c.text, c.gc)
		assert.Equal(t, want, rulesOf(got), "%s: %q → %v", c.name, c.text, got)
	}
}

func TestCheckTextEmptyLengthAndChannel(t *testing.T) {
	runGuardCases(t, []guardCase{
		{"empty", EBay, TextMessage, "", GuardContext{}, []string{RuleEmpty}},
		{"blank", EBay, TextMessage, "  \n\t ", GuardContext{}, []string{RuleEmpty}},
		{"ml reply at limit", MercadoLibre, TextPublicReply, strings.Repeat("á", 159), GuardContext{}, nil},
		{"ml reply over limit", MercadoLibre, TextPublicReply, strings.Repeat("á", 160), GuardContext{}, []string{RuleTooLong}},
		{"ml message at limit", MercadoLibre, TextMessage, strings.Repeat("ç", 350), GuardContext{}, nil},
		{"ml message over limit", MercadoLibre, TextMessage, strings.Repeat("ç", 351), GuardContext{}, []string{RuleTooLong}},
		{"taobao runes not bytes", Taobao, TextPublicReply, strings.Repeat("谢", 500), GuardContext{}, nil},
		{"taobao reply over limit", Taobao, TextPublicReply, strings.Repeat("谢", 501), GuardContext{}, []string{RuleTooLong}},
		{"ebay reply over limit", EBay, TextPublicReply, strings.Repeat("a", 501), GuardContext{}, []string{RuleTooLong}},
		{"amazon has no public reply", Amazon, TextPublicReply, "Sorry for the trouble.", GuardContext{}, []string{RuleNoChannel}},
		{"unknown marketplace fails closed", Marketplace("etsy"), TextMessage, "Hello", GuardContext{}, []string{RuleTooLong}},
		{"appeal limit", Amazon, TextAppeal, strings.Repeat("a", AppealMaxChars+1), GuardContext{}, []string{RuleTooLong}},
	})
}

func TestCheckTextCharset(t *testing.T) {
	runGuardCases(t, []guardCase{
		{"latin-1 accents pass", MercadoLibre, TextMessage, "¡Atención! Envío sin costo, información y ação.", GuardContext{}, nil},
		{"emoji", MercadoLibre, TextMessage, "Gracias 😊", GuardContext{}, []string{RuleCharset}},
		{"chinese", MercadoLibre, TextMessage, "谢谢", GuardContext{}, []string{RuleCharset}},
		{"em dash", MercadoLibre, TextMessage, "Obrigado — equipe", GuardContext{}, []string{RuleCharset}},
		{"curly quote", MercadoLibre, TextMessage, "We’re sorry", GuardContext{}, []string{RuleCharset}},
		{"euro sign", MercadoLibre, TextMessage, "10 €", GuardContext{}, []string{RuleCharset}},
		{"only messages", MercadoLibre, TextPublicReply, "Gracias 😊", GuardContext{}, nil},
		{"other platforms", EBay, TextMessage, "谢谢 😊", GuardContext{}, nil},
	})
}

func TestCheckTextHTML(t *testing.T) {
	runGuardCases(t, []guardCase{
		{"bold", EBay, TextMessage, "<b>Sorry</b>", GuardContext{}, []string{RuleHTML}},
		{"anchor", EBay, TextMessage, `see <a href="x">here</a>`, GuardContext{}, []string{RuleHTML}},
		{"self closing", EBay, TextMessage, "line<br/>break", GuardContext{}, []string{RuleHTML}},
		{"script upper", EBay, TextMessage, "<SCRIPT>alert(1)</SCRIPT>", GuardContext{}, []string{RuleHTML}},
		{"full-width brackets", EBay, TextMessage, "＜ｂ＞hi", GuardContext{}, []string{RuleHTML}},
		{"heart is not a tag", EBay, TextMessage, "We <3 our buyers", GuardContext{}, nil},
		{"comparison is not a tag", EBay, TextMessage, "size < 5 cm and > 3 cm", GuardContext{}, nil},
	})
}

func TestCheckTextLinks(t *testing.T) {
	for _, text := range []string{
		"see https://shop.example/p/1",
		"HTTP://X.CO/abc",
		"visit www.loja.com.br",
		"visit www . loja . com",
		"visite loja.com.br",
		"compre em loja . com",
		"entre em loja. com. br",
		"join t.me/lojabr",
		"wa.me/5511912345678",
		"h t t p s : / / x . c o",
		"bit.ly/abc123",
		"loja ponto com",
		"shop (dot) net",
		"ｗｗｗ．ｓｈｏｐ．ｃｏｍ",
		"淘宝店 shop点com",
		"Mi tienda: tienda-oficial.mx",
	} {
		got := rulesOf(CheckText(RulesFor(EBay), TextMessage, text, GuardContext{}))
		assert.Contains(t, got, RuleLink, text)
	}
	for _, text := range []string{
		"Lo sentimos. Es un error nuestro.",
		"Obrigado. Com carinho, equipe.",
		"Thank you. Us and our team are here.",
		"Total: 59.90 BRL",
		"Version 2.0 of the manual",
	} {
		assert.NotContains(t, rulesOf(CheckText(RulesFor(EBay), TextMessage, text, GuardContext{})), RuleLink, text)
	}
}

func TestCheckTextContactData(t *testing.T) {
	for _, text := range []string{
		"Mi número es 11 2345-6789",
		"ligue 11 9 8765 4321",
		"call +1 (415) 555-0134",
		"我的手机 138 0013 8000",
		"138-0013-8000",
		"1 3 8 0 0 1 3 8 0 0 0",
		"一三八零零一三八零零零",
		"+54 9 11 1234-5678",
		"(55) 3333.4444",
		"escribe a juan.perez@gmail.com",
		"juan.perez @ gmail . com",
		"juan (at) gmail (dot) com",
		"maria arroba hotmail punto com",
		"name at gmail dot com",
		"WhatsApp: me escribe",
		"ＷｈａｔｓＡｐｐ",
		"Whats\u200bApp",
		"me chama no zap",
		"加我微信",
		"vx: shop8888",
		"QQ 12345678",
		"add me on telegram",
		"fale com a gente no insta",
		"follow @lojabr for news",
		"text me when it arrives",
		"p e d r o @ g m a i l . c o m",
		"W.h.a.t.s.A.p.p",
		"what's app me",
		"微 信 号 abc",
		"Vx同号",
	} {
		got := rulesOf(CheckText(RulesFor(EBay), TextMessage, text, GuardContext{}))
		assert.Contains(t, got, RuleContactData, text)
	}
	for _, text := range []string{
		"Your order 2000003508418234 ships today",
		"Seu pedido 2000-0035-0841-8234 foi enviado",
		"Delivered on 2026-11-20",
		"Refund of 1234567.89 BRL",
		"Reply within 3 hours, 48 hours for reship",
		"Model X200, 2 units",
	} {
		got := rulesOf(CheckText(RulesFor(EBay), TextMessage, text, mlBuyer))
		assert.NotContains(t, got, RuleContactData, text)
	}
}

func TestCheckTextPrivateDataInPublicReplies(t *testing.T) {
	for _, text := range []string{
		"Hola María, lamentamos el problema.",
		"Hola MARIA JOSE PEREZ",
		"Sorry Pérez, we tried.",
		"Pedido 2000-0035-0841-8234 revisado.",
		"pedido #2000003508418234",
		"cliente 123456789",
		"Enviamos para Rua das Flores 123.",
		"Enviamos a Calle Falsa 742",
		"Shipped to 221B Baker Street",
		"寄到上海市长宁路 100 号",
		"3号楼2单元",
		"CEP 01310-100",
	} {
		got := rulesOf(CheckText(RulesFor(Taobao), TextPublicReply, text, mlBuyer))
		assert.Contains(t, got, RulePrivateData, text)
	}
	// The same data is fine in a private message to the buyer.
	for _, text := range []string{"Hola María, su pedido 2000003508418234 fue revisado."} {
		assert.Empty(t, CheckText(RulesFor(MercadoLibre), TextMessage, text, mlBuyer), text)
	}
	// Names are matched as words: "Ana" is not in "Banana".
	assert.Empty(t, CheckText(RulesFor(EBay), TextPublicReply, "Banana phone case", GuardContext{BuyerName: "Ana"}))
}

func TestCheckTextHostileWords(t *testing.T) {
	for _, c := range []struct {
		text   string
		appeal bool // also refused in an appeal
	}{
		{"You are lying about this", true},
		{"You're wrong, the box was fine", true},
		{"IDIOTA", true},
		{"Usted es un mentiroso", true},
		{"Você está errado sobre o produto", true},
		{"a culpa é sua", true},
		{"你这个骗子", true},
		{"无理取闹", true},
		{"这是恶意差评", false},
		{"This is a malicious review", false},
		{"Es una extorsión", false},
	} {
		got := rulesOf(CheckText(RulesFor(EBay), TextMessage, c.text, GuardContext{}))
		assert.Contains(t, got, RuleHostileWords, c.text)
		got = rulesOf(CheckText(RulesFor(EBay), TextAppeal, c.text, GuardContext{}))
		if c.appeal {
			assert.Contains(t, got, RuleHostileWords, "appeal: "+c.text)
		} else {
			assert.NotContains(t, got, RuleHostileWords, "appeal: "+c.text)
		}
	}
	assert.Empty(t, CheckText(RulesFor(EBay), TextMessage, "We deliver across the country", GuardContext{}))
}

func TestCheckTextReviewChangeRequests(t *testing.T) {
	requests := []string{
		"Could you please update your feedback?",
		"please remove the review",
		"Would you consider changing your 1 star rating",
		"leave us a 5-star review",
		"我们可以帮您改评吗",
		"麻烦亲追加好评",
		"能删除评价吗",
		"¿Podría cambiar su opinión?",
		"¿Puede modificar la calificación?",
		"Poderia alterar a avaliação?",
		"Você pode mudar sua nota?",
		"Ｃｈａｎｇｅ ｙｏｕｒ ｒｅｖｉｅｗ",
		"tire a avaliação negativa",
		"把差评删了吧",
		"差评能不能删掉",
		"帮忙改一下评价",
	}
	for _, m := range []Marketplace{Amazon, Taobao} {
		for _, text := range requests {
			got := rulesOf(CheckText(RulesFor(m), TextMessage, text, GuardContext{}))
			assert.Contains(t, got, RuleReviewChangeRequest, "%s: %s", m, text)
		}
	}
	// Mercado Libre and eBay allow a revision request once the issue is solved.
	for _, text := range requests[:4] {
		assert.NotContains(t, rulesOf(CheckText(RulesFor(EBay), TextMessage, text, GuardContext{})), RuleReviewChangeRequest, text)
	}
	// Improving the shop after a review is not a request to change it.
	assert.Empty(t, CheckText(RulesFor(Taobao), TextMessage, "我们会根据您的评价改进服务", GuardContext{}))
	// An appeal asks the platform, not the buyer.
	assert.Empty(t, CheckText(RulesFor(Amazon), TextAppeal, "We ask Amazon to remove the review under its guidelines.", GuardContext{}))
}

func TestCheckTextReviewConditionedRemedy(t *testing.T) {
	runGuardCases(t, []guardCase{
		{"remedy message mentions feedback", MercadoLibre, TextMessage, "We will refund you. Thanks for your feedback",
			GuardContext{OffersRemedy: true}, []string{RuleReviewConditionedRemedy}},
		{"remedy message mentions opinion", MercadoLibre, TextMessage, "Le enviamos un cupón. Gracias por su opinión",
			GuardContext{OffersRemedy: true}, []string{RuleReviewConditionedRemedy}},
		{"remedy message in chinese", Taobao, TextMessage, "我们给您退款，看到您的评价了",
			GuardContext{OffersRemedy: true}, []string{RuleReviewConditionedRemedy}},
		{"same words without a remedy", EBay, TextMessage, "Thanks for your feedback", GuardContext{}, nil},
		{"trade on a permissive platform", EBay, TextMessage, "We will refund you in exchange for removing your review",
			GuardContext{}, []string{RuleReviewConditionedRemedy}},
		{"if you change", MercadoLibre, TextMessage, "If you change your review we send a coupon",
			GuardContext{}, []string{RuleReviewConditionedRemedy}},
		{"spanish trade", MercadoLibre, TextMessage, "Te damos un cupón a cambio de una buena calificación",
			GuardContext{}, []string{RuleReviewConditionedRemedy}},
		{"portuguese trade", MercadoLibre, TextMessage, "Um cupom em troca de uma avaliação positiva",
			GuardContext{}, []string{RuleReviewConditionedRemedy}},
		{"incentive for stars", EBay, TextMessage, "Get 10% off for a 5-star review",
			GuardContext{}, []string{RuleReviewConditionedRemedy}},
		{"cashback", Taobao, TextMessage, "好评返现5元", GuardContext{},
			[]string{RuleReviewChangeRequest, RuleReviewConditionedRemedy}},
		{"red packet", EBay, TextMessage, "送您红包", GuardContext{}, []string{RuleReviewConditionedRemedy}},
	})
}

func TestCheckTextReportsEveryRuleOnceInStableOrder(t *testing.T) {
	text := "<b>Hola María</b>, mentiroso! Escribe a maria@gmail.com o visita shop.com. Cambie su opinión 😊"
	gc := mlBuyer
	gc.OffersRemedy = true
	rules := RulesFor(MercadoLibre)
	rules.ForbidsReviewChangeRequest = true
	want := []string{RuleCharset, RuleHTML, RuleLink, RuleContactData, RuleHostileWords, RuleReviewChangeRequest, RuleReviewConditionedRemedy}
	first := CheckText(rules, TextMessage, text, gc)
	assert.Equal(t, want, rulesOf(first))
	for range 20 {
		assert.Equal(t, first, CheckText(rules, TextMessage, text, gc))
	}
	pub := CheckText(rules, TextPublicReply, text, gc)
	assert.Equal(t, []string{RuleHTML, RuleLink, RuleContactData, RulePrivateData, RuleHostileWords, RuleReviewChangeRequest, RuleReviewConditionedRemedy}, rulesOf(pub))
}
