package cases

// issueRule lists the keywords that point to an issue, with a weight each.
// Weight 3 is a phrase that settles the issue on its own ("never arrived"),
// 2 a strong hint, 1 a word that only counts together with others.
type issueRule struct {
	issue    Issue
	keywords map[int][]string // weight → keywords (zh, en, es, pt mixed)
}

// tieOrder breaks equal scores: the more specific and the more costly to get
// wrong comes first (a threat outranks a complaint about the courier).
var tieOrder = []Issue{
	IssueSuspectedMalicious,
	IssueDamagedOrLost,
	IssueNotAsDescribed,
	IssueQuality,
	IssueLogisticsDelay,
	IssueServiceAttitude,
	IssueBuyerMisunderstanding,
}

var issueRules = []issueRule{
	{issue: IssueLogisticsDelay, keywords: map[int][]string{
		3: {"物流慢", "快递慢", "发货慢", "还没到", "迟迟不到", "等了好久", "物流太慢", "配送慢", "延迟发货", "迟到",
			"took forever to arrive", "arrived late", "still hasn't arrived", "still has not arrived", "still not arrived",
			"still waiting for", "shipping was slow", "slow shipping", "slow delivery", "late delivery",
			"llego tarde", "llegó tarde", "tardo mucho", "tardó mucho", "envio lento", "envío lento", "demoro*", "demoró", "todavia no llega", "todavía no llega", "aun no llega", "aún no llega",
			"chegou atrasado", "entrega atrasada", "demorou", "ainda nao chegou", "ainda não chegou", "entrega lenta", "muito demorado"},
		2: {"物流", "快递", "配送", "发货", "延误",
			"late", "delayed", "delay", "weeks to arrive", "took weeks", "slow", "tracking",
			"tarde", "retraso", "atrasado", "demora", "lento", "seguimiento",
			"atrasou", "atraso", "atrasado", "demora", "prazo", "rastreio"},
		1: {"shipping", "delivery", "envio", "envío", "entrega", "correios", "courier", "transportadora"},
	}},
	{issue: IssueDamagedOrLost, keywords: map[int][]string{
		3: {"破损", "碎了", "摔坏", "压坏", "丢件", "丢了", "没收到", "少发", "漏发", "包裹丢失", "外包装破",
			"arrived broken", "arrived damaged", "never arrived", "never received", "never got it", "package lost", "lost package", "box was crushed", "was crushed", "missing item", "missing parts", "item missing",
			"llego roto", "llegó roto", "llego rota", "llegó rota", "llego danado", "llegó dañado", "no llego", "no llegó", "nunca llego", "nunca llegó", "paquete perdido", "vino roto", "caja rota", "faltan piezas",
			"chegou quebrado", "chegou quebrada", "veio quebrado", "veio quebrada", "chegou danificado", "nunca chegou", "nao chegou", "não chegou", "pacote extraviado", "extraviado", "caixa amassada", "nao recebi", "não recebi", "faltando pecas", "faltando peças"},
		2: {"碎", "丢失", "损坏",
			"broken", "damaged", "crushed", "shattered", "cracked", "lost", "missing",
			"roto", "rota", "danado", "dañado", "perdido", "quebrado", "rajado",
			"quebrado", "quebrada", "danificado", "danificada", "amassado", "trincado", "perdeu"},
	}},
	{issue: IssueQuality, keywords: map[int][]string{
		3: {"质量差", "质量太差", "质量不好", "做工差", "做工粗糙", "用了就坏", "坏了", "不能用", "没法用", "用不了", "开线", "掉色", "起球", "假货",
			"poor quality", "bad quality", "low quality", "cheap quality", "stopped working", "doesn't work", "does not work", "not working", "fell apart", "broke after", "poorly made", "defective", "faulty",
			"mala calidad", "pesima calidad", "pésima calidad", "baja calidad", "dejo de funcionar", "dejó de funcionar", "no funciona", "defectuoso", "se rompio", "se rompió", "se despego", "se despegó",
			"ma qualidade", "má qualidade", "pessima qualidade", "péssima qualidade", "qualidade ruim", "parou de funcionar", "nao funciona", "não funciona", "defeituoso", "defeito", "quebrou", "descascou", "veio com defeito"},
		2: {"质量", "做工", "劣质", "坏", "次品",
			"quality", "cheap", "flimsy", "broke", "junk", "garbage", "peeling",
			"calidad", "barato", "fragil", "frágil", "falla", "basura",
			"qualidade", "fragil", "frágil", "porcaria", "vagabundo", "lixo"},
	}},
	{issue: IssueNotAsDescribed, keywords: map[int][]string{
		3: {"色差", "尺寸不符", "尺码不对", "与描述不符", "和描述不符", "跟描述不一样", "和图片不一样", "与图片不符", "货不对板", "发错货", "发错了", "不是我买的",
			"not as described", "different from the picture", "different from picture", "doesn't match the description", "does not match the description", "not what i ordered", "wrong item", "wrong size", "wrong color", "wrong colour", "looks nothing like",
			"no es como", "diferente a la foto", "diferente de la foto", "no coincide con la descripcion", "no coincide con la descripción", "talla equivocada", "color equivocado", "producto equivocado", "no es lo que pedi", "no es lo que pedí", "distinto a la foto",
			"diferente da foto", "diferente do anuncio", "diferente do anúncio", "nao e o que", "não é o que", "nao corresponde", "não corresponde", "tamanho errado", "cor errada", "produto errado", "veio errado"},
		2: {"描述", "图片", "尺寸", "颜色", "尺码", "不符",
			"description", "picture", "photo", "misleading", "smaller than", "bigger than", "different",
			"descripcion", "descripción", "foto", "diferente", "distinto", "equivocado", "mas pequeno", "más pequeño",
			"descricao", "descrição", "anuncio", "anúncio", "errado", "menor que"},
	}},
	{issue: IssueServiceAttitude, keywords: map[int][]string{
		3: {"态度差", "态度恶劣", "态度不好", "客服态度", "不理人", "不回复", "不回消息", "没人回", "爱答不理", "推卸责任",
			"rude", "no response", "never responded", "never replied", "didn't reply", "did not reply", "ignored my messages", "terrible customer service", "bad customer service", "unhelpful",
			"mala atencion", "mala atención", "pesima atencion", "pésima atención", "no responden", "no contestan", "nunca respondieron", "grosero", "maleducado", "mal servicio",
			"atendimento pessimo", "atendimento péssimo", "pessimo atendimento", "péssimo atendimento", "mal atendimento", "nao respondem", "não respondem", "nunca responderam", "grosseiro", "sem resposta", "mal educado"},
		2: {"客服", "态度", "服务差", "敷衍",
			"customer service", "seller service", "attitude", "ignored", "unprofessional",
			"atencion", "atención", "vendedor", "servicio", "respuesta",
			"atendimento", "vendedor", "resposta", "descaso"},
	}},
	{issue: IssueBuyerMisunderstanding, keywords: map[int][]string{
		3: {"不会用", "怎么用", "不知道怎么", "看不懂说明", "说明书看不懂", "不会安装", "怎么安装",
			"don't know how", "do not know how", "dont know how", "can't figure out", "cannot figure out", "no instructions", "how to use", "how do i",
			"no se como", "no sé cómo", "no entiendo como", "no entiendo cómo", "como se usa", "cómo se usa", "sin instrucciones", "no trae instrucciones",
			"nao sei como", "não sei como", "nao sei usar", "não sei usar", "como usar", "nao entendi como", "não entendi como", "sem instrucoes", "sem instruções", "sem manual"},
		2: {"说明书", "安装", "使用方法", "不会",
			"instructions", "manual", "setup", "set up", "confusing", "complicated",
			"instrucciones", "manual", "instalar", "complicado",
			"instrucoes", "instruções", "manual", "instalar", "complicado"},
	}},
	{issue: IssueSuspectedMalicious, keywords: map[int][]string{
		3: {"敲诈", "勒索", "差评威胁", "不给钱就", "不退钱就", "给我钱", "赔我钱就", "不赔就差评", "职业差评",
			"give me money or", "pay me or", "extortion", "or i will leave", "or i'll leave", "unless you pay", "unless you refund", "i will report you everywhere",
			"me pagan o", "paguenme o", "páguenme o", "si no me devuelven", "o les dejo", "extorsion", "extorsión",
			"me paguem ou", "se nao me pagar", "se não me pagar", "ou vou deixar", "extorsao", "extorsão"},
		2: {"威胁", "曝光你", "投诉到底", "全网曝光",
			"threat", "blackmail", "scam", "scammer", "fraud",
			"estafa", "estafador", "fraude", "amenaza", "denunciar",
			"golpe", "golpista", "fraude", "ameaca", "ameaça", "processar"},
	}},
}

// langMarkers score a Latin text's language: frequent function words that
// are distinctive enough between English, Spanish and Portuguese.
var langMarkers = map[string][]string{
	"en": {"the", "and", "is", "it", "was", "not", "my", "to", "of", "for", "with", "this", "but", "i", "very", "never", "item", "arrived", "didn't", "don't", "bad", "after", "would"},
	"es": {"el", "la", "los", "las", "y", "muy", "pero", "con", "llego", "lo", "es", "una", "del", "al", "mi", "nunca", "producto", "esta", "se", "hasta", "tiene", "porque", "sin", "ya", "usted", "eso"},
	"pt": {"o", "os", "e", "nao", "muito", "mas", "com", "chegou", "um", "uma", "do", "da", "no", "na", "meu", "minha", "veio", "produto", "esta", "ate", "tem", "porque", "voces", "ainda", "sem", "voce", "ja", "isso", "ele", "ela", "foi"},
}
