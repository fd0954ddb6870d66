package cases

import "regexp"

// The guard's patterns run on folded text (foldText: lower case, ASCII for
// full-width forms, no accents), so "ＷＷＷ", "Avaliação" and "avaliacao"
// are caught by the same rule.

var (
	htmlTag = regexp.MustCompile(`</?[a-z][a-z0-9-]*(\s[^<>]*)?/?>`)

	// Links: schemes, www, short-link hosts, bare domains ("shop.com",
	// "loja.com.br") and spelled-out dots ("shop dot com", "loja ponto com").
	linkPatterns = []*regexp.Regexp{
		regexp.MustCompile(`[a-z][a-z0-9+.-]*://\S+`),
		regexp.MustCompile(`\bwww\s*[.,]\s*\S+`),
		regexp.MustCompile(`\b(t\.me|wa\.me|bit\.ly|tinyurl\.com|goo\.gl)\b`),
		regexp.MustCompile(`\b[a-z0-9][a-z0-9-]*(\.[a-z0-9-]+)*\.(com|net|org|info|biz|io|co|me|app|shop|store|online|site|link|ly|xyz|top|br|mx|ar|cl|pe|uy|cn|es|pt|us|uk|de)\b`),
		// Spaced dots only with spaces on both sides ("loja . com") or a country
		// ending ("loja. com. br"): "Obrigado. Com carinho" is a sentence.
		regexp.MustCompile(`\b[a-z0-9][a-z0-9-]*\s+\.\s+(com|net|org)\b|\b[a-z0-9][a-z0-9-]*\s*\.\s*com\s*\.\s*(br|mx|ar|cn)\b`),
		regexp.MustCompile(`\b[a-z0-9][a-z0-9-]*\s*[(\[]?\s*(dot|ponto|punto|点)\s*[)\]]?\s*(com|net|org|br|mx|ar|cn)\b`),
		regexp.MustCompile(`[a-z0-9]\s*点\s*(com|net|cn)`),
	}

	// Contact data: e-mails (also "name at gmail dot com", "nombre arroba
	// hotmail punto com"), messenger handles and invitations to move off
	// the platform.
	emailPatterns = []*regexp.Regexp{
		regexp.MustCompile(`[a-z0-9._%+-]+\s*@\s*[a-z0-9-]+(\s*\.\s*[a-z0-9-]+)*\s*\.\s*[a-z]{2,}`),
		regexp.MustCompile(`\b[a-z0-9._-]+\s*[(\[]?\s*(at|arroba)\s*[)\]]?\s*[a-z0-9-]+\s*[(\[]?\s*(dot|punto|ponto)\s*[)\]]?\s*[a-z]{2,}\b`),
		regexp.MustCompile(`\b(gmail|hotmail|outlook|yahoo|icloud|live|uol|bol|qq|163|126|foxmail)\s*(\.|dot|punto|ponto)\s*(com|net|cn|br)\b`),
	}
	handlePatterns = []*regexp.Regexp{
		regexp.MustCompile(`\b(whats\s?app|wpp|zap\s?zap|zap|telegram|wechat|weixin|we\s?chat|skype|instagram|insta|facebook|tiktok|viber|line\s?id)\b`),
		regexp.MustCompile(`(微信|威信|薇信|加v|加q|qq号|qq群|vx号|v信|旺旺号|手机号|电话号|联系电话|联系方式|私人号)`),
		regexp.MustCompile(`\b(qq|vx|wx|tg)\s*[:：]?\s*[0-9a-z_]{4,}`),
		regexp.MustCompile(`\b(qq|vx|wx)\b`),
		regexp.MustCompile(`(^|[\s(:,])@[a-z0-9_.]{3,}`),
		regexp.MustCompile(`\b(add me on|add me at|text me|call me|message me on|contact me (on|at|via)|reach me (on|at)|my number|my phone|my email|my e-mail)\b`),
		regexp.MustCompile(`\b(llamame|agregame|escribeme al|mi numero|mi telefono|mi correo|me chama no|me chama|me liga|meu numero|meu telefone|meu email|meu e-mail|me adiciona)\b`),
		regexp.MustCompile(`(加我|打我电话|拨打|致电)`),
	}
	// Spaced-out tricks ("p e d r o @ g m a i l . c o m", "W.h.a.t.s.A.p.p")
	// are matched again on the text without spaces (compactEmail, compactLink)
	// or without any separator (compactHandles). Bare domains are not: "Gracias.
	// Es" would read "gracias.es".
	compactEmail   = regexp.MustCompile(`[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}`)
	compactLink    = regexp.MustCompile(`(https?://|www\.)\S+`)
	compactHandles = regexp.MustCompile(`(whatsapp|telegram|wechat|weixin|instagram|facebook|微信|威信|薇信)`)
	// Phone numbers: 8–15 digits with spaces, dashes, dots, brackets or a
	// leading +, the shapes of CN (138 0013 8000), BR ((11) 91234-5678),
	// MX/AR (+54 9 11 1234-5678) and international numbers.
	phoneCandidate = regexp.MustCompile(`\+?\(?\d[\d\s().\-/]{6,}\d`)
	isoDate        = regexp.MustCompile(`^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$`)
	moneyLike      = regexp.MustCompile(`^\d+([.,]\d{3})*[.,]\d{2}$`)
	// Chinese numerals spelling a phone number (一三八零零一三八零零零).
	chineseDigits = regexp.MustCompile(`[零一二三四五六七八九〇壹贰叁肆伍陆柒捌玖幺]{7,}`)

	// Street addresses (public replies): a street word followed by a number.
	addressPatterns = []*regexp.Regexp{
		regexp.MustCompile(`\b(rua|avenida|av|alameda|travessa|rodovia|estrada|calle|carrera|pasaje|street|st|road|rd|avenue|ave|boulevard|blvd|lane|drive)\b\.?\s+[a-z0-9 .'-]{1,40}?\d{1,5}\b`),
		regexp.MustCompile(`\b\d{1,5}[a-z]?\s+[a-z0-9 .'-]{1,30}\b(street|st|road|rd|avenue|ave|boulevard|blvd|lane|drive)\b`),
		regexp.MustCompile(`\p{Han}{1,12}(路|街|道|巷|弄)\s*\d+\s*(号|弄)`),
		regexp.MustCompile(`\d+\s*(号楼|栋|单元|室)`),
		regexp.MustCompile(`\bcep\s*[:.]?\s*\d{5}-?\d{3}\b`),
	}
)

// Hostile words: insults are refused in every kind of text; accusations
// ("malicious", "恶意") are refused towards buyers and the public but are
// the plain facts of an appeal to the platform.
var (
	insultWords = []string{
		"骗子", "神经病", "有病", "白痴", "傻逼", "傻子", "脑残", "滚开", "滚蛋", "垃圾买家", "无理取闹", "胡说八道", "撒谎", "活该", "你错了", "不要脸",
		"liar", "you are lying", "you're lying", "youre lying", "idiot", "stupid", "moron", "dumb", "shut up", "you are wrong", "you're wrong",
		"youre wrong", "your own fault", "your fault", "pathetic", "loser", "clown", "get lost",
		"mentiroso", "mentirosa", "miente", "idiota", "estupido", "estupida", "imbecil", "tonto", "tonta", "ignorante", "callate",
		"es su culpa", "es tu culpa", "esta equivocado", "esta equivocada", "payaso",
		"burro", "burra", "otario", "cala a boca", "a culpa e sua", "voce esta errado", "voce esta errada", "vagabundo", "mentindo",
	}
	accusationWords = []string{
		"恶意", "敲诈", "勒索", "职业差评师",
		"malicious", "extortion", "scammer", "fraudster", "fake review", "troll",
		"mala fe", "estafador", "extorsion",
		"ma fe", "golpista", "extorsao",
	}
)
