package ordercare

import "github.com/redress-hq/redress/cases"

// QuickReply is a built-in quick reply; shops add their own (store.QuickReply).
type QuickReply struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Language string `json:"language"`
	Text     string `json:"text"`
}

// BuiltInQuickReplies are the common answers seed 003 names (tracking
// question, returns and exchanges, stock and sizes), in zh/en/es/pt. None
// mentions reviews; every one is screened per marketplace when listed and
// again when sent.
var BuiltInQuickReplies = []QuickReply{
	{"builtin-tracking-en", "tracking", cases.LangEN, "Thank you for writing. Your order is on its way; you can follow the tracking in your purchases. We will keep an eye on it and write to you if anything changes."},
	{"builtin-tracking-es", "tracking", cases.LangES, "Gracias por escribirnos. Tu pedido está en camino; puedes seguir el envío en tus compras. Lo vamos a vigilar y te avisamos si algo cambia."},
	{"builtin-tracking-pt", "tracking", cases.LangPT, "Obrigado por escrever. Seu pedido está a caminho; você pode acompanhar o envio em suas compras. Vamos acompanhar e avisamos se algo mudar."},
	{"builtin-tracking-zh", "tracking", cases.LangZH, "感谢您的留言。您的包裹正在配送中,可在订单详情查看物流,我们会持续跟进,有变化第一时间通知您。"},
	{"builtin-return-en", "return_exchange", cases.LangEN, "We are sorry about this. We can exchange the item or return your money, whichever you prefer; tell us here and we will take care of it."},
	{"builtin-return-es", "return_exchange", cases.LangES, "Lamentamos lo ocurrido. Podemos cambiar el producto o devolverte el dinero, como prefieras; dinos por aquí y nos encargamos."},
	{"builtin-return-pt", "return_exchange", cases.LangPT, "Sentimos muito pelo ocorrido. Podemos trocar o produto ou devolver seu dinheiro, como preferir; diga aqui e cuidamos de tudo."},
	{"builtin-return-zh", "return_exchange", cases.LangZH, "非常抱歉给您带来不便。可以为您换货或退款,您选择哪种方式告诉我们即可,我们来处理。"},
	{"builtin-stock-en", "stock_sizes", cases.LangEN, "Yes, it is in stock in the sizes and colours shown on the listing. If you need help choosing, tell us what you are looking for."},
	{"builtin-stock-es", "stock_sizes", cases.LangES, "Sí, hay stock en los talles y colores que muestra la publicación. Si necesitas ayuda para elegir, cuéntanos qué buscas."},
	{"builtin-stock-pt", "stock_sizes", cases.LangPT, "Sim, temos estoque nos tamanhos e cores do anúncio. Se precisar de ajuda para escolher, conte o que procura."},
	{"builtin-stock-zh", "stock_sizes", cases.LangZH, "有货的,商品页面显示的尺码和颜色都可以选。需要帮忙挑选的话,告诉我们您的需求即可。"},
}

// BuiltInQuickReply finds a built-in quick reply by id.
func BuiltInQuickReply(id string) (QuickReply, bool) {
	for _, q := range BuiltInQuickReplies {
		if q.ID == id {
			return q, true
		}
	}
	return QuickReply{}, false
}
