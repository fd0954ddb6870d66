package cases

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

type reviewSample struct {
	text string
	lang string
}

// classifierSamples are realistic bad reviews, at least six per issue, mixed
// across the four languages.
var classifierSamples = map[Issue][]reviewSample{
	IssueLogisticsDelay: {
		{"物流太慢了，等了十天才到，下次不会再买了", LangZH},
		{"快递慢得离谱，催了好几次还没到", LangZH},
		{"Took forever to arrive, almost three weeks. Product is fine but shipping was slow.", LangEN},
		{"Still hasn't arrived after 20 days, tracking hasn't updated in a week.", LangEN},
		{"Llegó tarde, más de dos semanas. El producto está bien pero el envío es muy lento.", LangES},
		{"Todavía no llega y ya pasó la fecha de entrega, el seguimiento no se mueve", LangES},
		{"Demorou demais para chegar, quase um mês. Entrega atrasada.", LangPT},
		{"Ainda não chegou e o prazo já passou, o rastreio está parado.", LangPT},
	},
	IssueDamagedOrLost: {
		{"收到的时候外包装破了，杯子碎了两个", LangZH},
		{"快递显示签收了但是我没收到，包裹丢失了", LangZH},
		{"Arrived broken, the glass was shattered and the box was crushed.", LangEN},
		{"Never arrived. Tracking says delivered but I never received anything.", LangEN},
		{"Llegó roto, la caja venía aplastada y faltan piezas.", LangES},
		{"Nunca llegó, el paquete se perdió y nadie me da una solución.", LangES},
		{"Chegou quebrado, a caixa amassada e faltando peças.", LangPT},
		{"Não recebi o produto, pacote extraviado.", LangPT},
	},
	IssueQuality: {
		{"质量太差了，用了两天就坏了", LangZH},
		{"做工粗糙，线头很多，洗一次就掉色", LangZH},
		{"Stopped working after a week. Poor quality, feels cheap.", LangEN},
		{"Defective out of the box, does not work at all.", LangEN},
		{"Mala calidad, dejó de funcionar a los tres días.", LangES},
		{"El producto es defectuoso y se rompió al primer uso.", LangES},
		{"Péssima qualidade, parou de funcionar em uma semana.", LangPT},
		{"Veio com defeito, não funciona.", LangPT},
	},
	IssueNotAsDescribed: {
		{"色差太大，跟图片完全不一样", LangZH},
		{"尺码不对，和描述不符，发错货了", LangZH},
		{"Not as described. The color is different from the picture and it's much smaller than advertised.", LangEN},
		{"Wrong item, this is not what I ordered.", LangEN},
		{"No es como en la foto, el color es distinto y la talla equivocada.", LangES},
		{"El producto no coincide con la descripción.", LangES},
		{"Diferente da foto, cor errada e tamanho errado.", LangPT},
		{"Não é o que está no anúncio, produto diferente do anúncio.", LangPT},
	},
	IssueServiceAttitude: {
		{"客服态度差，问了三次都不理人", LangZH},
		{"售后推卸责任，态度恶劣", LangZH},
		{"Seller was rude and ignored my messages for days.", LangEN},
		{"Terrible customer service, no response to any of my questions.", LangEN},
		{"Pésima atención, el vendedor no responde y fue muy grosero.", LangES},
		{"Mala atención del vendedor, nunca respondieron mis mensajes.", LangES},
		{"Atendimento péssimo, o vendedor não responde as mensagens.", LangPT},
		{"Vendedor grosseiro, sem resposta há dias.", LangPT},
	},
	IssueBuyerMisunderstanding: {
		{"不会用，说明书看不懂，也没有教程", LangZH},
		{"不知道怎么安装，太复杂了", LangZH},
		{"I don't know how to set this up, there are no instructions.", LangEN},
		{"Can't figure out how to turn it on. Confusing manual.", LangEN},
		{"No sé cómo usarlo, no trae instrucciones en español.", LangES},
		{"No entiendo cómo se instala, es muy complicado.", LangES},
		{"Não sei como usar, veio sem manual.", LangPT},
		{"Não entendi como instalar, muito complicado.", LangPT},
	},
	IssueSuspectedMalicious: {
		{"不给钱就一直差评，赔我200块我就改", LangZH},
		{"我是职业差评，给我钱就删评，不然天天投诉到底", LangZH},
		{"Give me money or I will leave more bad reviews on all your products.", LangEN},
		{"Unless you refund me double I'll post this everywhere. This is a scam.", LangEN},
		{"Si no me devuelven el doble les dejo una opinión negativa en todos sus productos.", LangES},
		{"Páguenme o los denuncio, esto es una estafa.", LangES},
		{"Me paguem ou vou deixar avaliação negativa em todos os produtos.", LangPT},
		{"Se não me pagar o dobro, vou processar, isso é golpe.", LangPT},
	},
}

func TestClassifySamples(t *testing.T) {
	for _, issue := range Issues {
		samples := classifierSamples[issue]
		assert.GreaterOrEqual(t, len(samples), 6, issue)
		for _, s := range samples {
			got := Classify(s.text, 1, "")
			assert.Equal(t, issue, got.Issue, "%q matched %v", s.text, got.Matched)
			assert.Equal(t, s.lang, got.Language, "language of %q", s.text)
			assert.NotEmpty(t, got.Matched, s.text)
			assert.GreaterOrEqual(t, got.Confidence, 0.3, s.text)
			assert.LessOrEqual(t, got.Confidence, 0.95, s.text)
		}
	}
}

func TestClassifyDefaultsWhenNothingMatches(t *testing.T) {
	for _, text := range []string{"", "   ", "😡", "no", "Meh.", "一般"} {
		got := Classify(text, 1, "")
		assert.Equal(t, DefaultIssue, got.Issue, text)
		assert.Equal(t, DefaultConfidence, got.Confidence, text)
		assert.Equal(t, []string{}, got.Matched, text)
		assert.Equal(t, SeverityBad, got.Severity, text)
	}
}

func TestClassifySeverityFollowsRating(t *testing.T) {
	assert.Equal(t, SeverityBad, Classify("slow shipping", 1, "").Severity)
	assert.Equal(t, SeverityBad, Classify("slow shipping", 2, "").Severity)
	assert.Equal(t, SeverityMid, Classify("slow shipping", 3, "").Severity)
	assert.Equal(t, Severity(""), Classify("slow shipping", 5, "").Severity)
}

func TestClassifyNormalisesWidthCaseAndAccents(t *testing.T) {
	for _, text := range []string{"ＬＬＥＧÓ ＲＯＴＯ", "LLEGO ROTO", "llegó   roto!!!", "Lle\u200bgó roto"} {
		got := Classify(text, 1, LangES)
		assert.Equal(t, IssueDamagedOrLost, got.Issue, text)
		assert.Equal(t, []string{"llego roto"}, got.Matched, text) // accented and plain spellings are one rule
	}
}

func TestClassifyMatchesWholeWordsAndLongestPhrases(t *testing.T) {
	// "late" must not fire inside "chocolate"; the text has no issue words.
	assert.Equal(t, DefaultConfidence, Classify("The chocolate tastes odd", 2, "").Confidence)
	// "摔坏了" is damage in transit, not "坏了" (quality).
	assert.Equal(t, IssueDamagedOrLost, Classify("摔坏了", 1, "").Issue)
	// "arrived broken" counts once, not again as "broken".
	got := Classify("arrived broken", 1, "")
	assert.Equal(t, []string{"arrived broken"}, got.Matched)
	// A threat wins over the complaint it comes with.
	assert.Equal(t, IssueSuspectedMalicious, Classify("Shipping was slow. Give me money or I will leave more bad reviews", 1, "").Issue)
}

func TestClassifyKeepsGivenLanguage(t *testing.T) {
	assert.Equal(t, LangPT, Classify("delayed", 1, LangPT).Language)
}

func TestClassifyConfidenceReflectsMargin(t *testing.T) {
	clear := Classify("Never arrived, package lost", 1, "")
	mixed := Classify("Never arrived and poor quality", 1, "")
	assert.Greater(t, clear.Confidence, mixed.Confidence)
}

func TestDetectLanguage(t *testing.T) {
	cases := map[string]string{
		"":                                    LangEN,
		"12345":                               LangEN,
		"质量很差":                                LangZH,
		"iPhone 充电器 坏了":                       LangZH,
		"The item was fine but late":          LangEN,
		"¿Dónde está mi pedido?":              LangES,
		"El vendedor no contesta":             LangES,
		"Não gostei, a embalagem veio aberta": LangPT,
		"O produto é muito bom mas demorou":   LangPT,
	}
	for text, want := range cases {
		assert.Equal(t, want, DetectLanguage(text), text)
	}
}

func TestClassifyIsDeterministic(t *testing.T) {
	text := "Llegó tarde y roto, mala calidad, el vendedor grosero"
	first := Classify(text, 1, "")
	for range 50 {
		assert.Equal(t, first, Classify(text, 1, ""))
	}
}
