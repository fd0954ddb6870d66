package cases

// The wording follows the Taobao seed's tone: apologise first, no excuses,
// no blame ("不辩解、不推卸责任"), a concrete next step. Where the seed breaks
// a platform rule the rule wins: messages never mention reviews (the seed's
// "看到您对订单给出的评价"), public replies carry no contact data (the Mercado
// Libre seed's "提供联系方式"), nothing asks for a better review.
//
// Spanish and Portuguese texts use only ISO-8859-1 characters (straight
// quotes, no dashes or ellipses) because Mercado Libre rejects anything else.

// issueApology opens contact and remedy messages: one sentence owning the problem.
var issueApology = map[string]map[Issue]string{
	LangEN: {
		IssueLogisticsDelay:        "We are sorry your order took longer than it should have to reach you.",
		IssueDamagedOrLost:         "We are sorry your order arrived damaged or incomplete.",
		IssueQuality:               "We are sorry the product did not meet the quality you expected.",
		IssueNotAsDescribed:        "We are sorry the product you received does not match what we described.",
		IssueServiceAttitude:       "We are sorry for how our team handled your request; that is not the service we want to give.",
		IssueBuyerMisunderstanding: "We are sorry the product has been difficult to use.",
		IssueSuspectedMalicious:    "We are sorry about the problem with your order.",
	},
	LangES: {
		IssueLogisticsDelay:        "Lamentamos que su pedido haya tardado más de lo debido en llegar.",
		IssueDamagedOrLost:         "Lamentamos que su pedido haya llegado dañado o incompleto.",
		IssueQuality:               "Lamentamos que el producto no tenga la calidad que usted esperaba.",
		IssueNotAsDescribed:        "Lamentamos que el producto recibido no coincida con lo que describimos.",
		IssueServiceAttitude:       "Lamentamos la atención que recibió de nuestro equipo; no es el servicio que queremos darle.",
		IssueBuyerMisunderstanding: "Lamentamos que el producto le haya resultado difícil de usar.",
		IssueSuspectedMalicious:    "Lamentamos el problema con su pedido.",
	},
	LangPT: {
		IssueLogisticsDelay:        "Lamentamos que seu pedido tenha demorado mais do que deveria para chegar.",
		IssueDamagedOrLost:         "Lamentamos que seu pedido tenha chegado danificado ou incompleto.",
		IssueQuality:               "Lamentamos que o produto não tenha a qualidade que você esperava.",
		IssueNotAsDescribed:        "Lamentamos que o produto recebido não corresponda ao que descrevemos.",
		IssueServiceAttitude:       "Lamentamos o atendimento que você recebeu da nossa equipe; não é o serviço que queremos oferecer.",
		IssueBuyerMisunderstanding: "Lamentamos que o produto tenha sido difícil de usar.",
		IssueSuspectedMalicious:    "Lamentamos o problema com o seu pedido.",
	},
	LangZH: {
		IssueLogisticsDelay:        "非常抱歉，您的包裹比预期晚了很久才送到，耽误了您的时间。",
		IssueDamagedOrLost:         "非常抱歉，您收到的商品有破损或缺件，给您添麻烦了。",
		IssueQuality:               "非常抱歉，商品的质量没有达到您的期望。",
		IssueNotAsDescribed:        "非常抱歉，您收到的商品与我们的描述不一致。",
		IssueServiceAttitude:       "非常抱歉，我们客服之前的处理让您不满意，这不是我们应有的服务。",
		IssueBuyerMisunderstanding: "非常抱歉，商品的使用给您带来了困扰。",
		IssueSuspectedMalicious:    "非常抱歉，您的订单出现了问题。",
	},
}

// issueNoun names the problem inside a sentence ("the problem with ...").
var issueNoun = map[string]map[Issue]string{
	LangEN: {
		IssueLogisticsDelay:        "the delivery delay",
		IssueDamagedOrLost:         "the damaged or missing item",
		IssueQuality:               "the product quality",
		IssueNotAsDescribed:        "the difference from the description",
		IssueServiceAttitude:       "our service",
		IssueBuyerMisunderstanding: "using the product",
		IssueSuspectedMalicious:    "your order",
	},
	LangES: {
		IssueLogisticsDelay:        "el retraso de la entrega",
		IssueDamagedOrLost:         "el producto dañado o faltante",
		IssueQuality:               "la calidad del producto",
		IssueNotAsDescribed:        "la diferencia con la descripción",
		IssueServiceAttitude:       "nuestra atención",
		IssueBuyerMisunderstanding: "el uso del producto",
		IssueSuspectedMalicious:    "su pedido",
	},
	LangPT: {
		IssueLogisticsDelay:        "o atraso na entrega",
		IssueDamagedOrLost:         "o produto danificado ou faltante",
		IssueQuality:               "a qualidade do produto",
		IssueNotAsDescribed:        "a diferença em relação à descrição",
		IssueServiceAttitude:       "o nosso atendimento",
		IssueBuyerMisunderstanding: "o uso do produto",
		IssueSuspectedMalicious:    "o seu pedido",
	},
	LangZH: {
		IssueLogisticsDelay:        "物流延误",
		IssueDamagedOrLost:         "商品破损或缺件",
		IssueQuality:               "商品质量",
		IssueNotAsDescribed:        "商品与描述不符",
		IssueServiceAttitude:       "客服服务",
		IssueBuyerMisunderstanding: "商品使用",
		IssueSuspectedMalicious:    "订单",
	},
}

// remedySentence states the remedy; {amount} is replaced by the amount, or
// removed when there is none.
var remedySentence = map[string]map[RemedyType]string{
	LangEN: {
		RemedyReship:               "We will send you a replacement within 48 hours, with shipping paid by us.",
		RemedyRefundNoReturn:       "We will refund the full amount{amount}, and you do not need to return the item.",
		RemedyReshipAndCoupon:      "We will send you a replacement within 48 hours, with shipping paid by us, plus a coupon{amount} for your next purchase.",
		RemedyShippingCompensation: "We will compensate you for the shipping cost{amount}.",
		RemedyCoupon:               "We will send you a coupon{amount} for your next purchase.",
		RemedyFreeShippingNext:     "Your next order with us will ship free of charge.",
		RemedyApology:              "Please accept our sincere apologies; we are looking into what went wrong so that it does not happen again.",
		RemedyDedicatedAgent:       "From now on, a dedicated agent will look after your orders with us.",
		RemedyUsageGuide:           "We will send you a step-by-step usage guide here in this chat, and we are happy to help with any step.",
		RemedyAfterSalesGuidance:   "If the product does not suit you, we will exchange it free of charge, and we are here to help with any question about using it.",
		RemedySmallCoupon:          "As a small apology, we will send you a coupon{amount} for your next purchase.",
	},
	LangES: {
		RemedyReship:               "Le enviaremos un reemplazo en hasta 48 horas, con envío a nuestro cargo.",
		RemedyRefundNoReturn:       "Le reembolsaremos el importe total{amount} y no necesita devolver el producto.",
		RemedyReshipAndCoupon:      "Le enviaremos un reemplazo en hasta 48 horas, con envío a nuestro cargo, y un cupón{amount} para su próxima compra.",
		RemedyShippingCompensation: "Le compensaremos el costo del envío{amount}.",
		RemedyCoupon:               "Le enviaremos un cupón{amount} para su próxima compra.",
		RemedyFreeShippingNext:     "Su próximo pedido con nosotros tendrá envío gratis.",
		RemedyApology:              "Le pedimos sinceras disculpas; estamos revisando qué falló para que no se repita.",
		RemedyDedicatedAgent:       "A partir de ahora, un asesor dedicado atenderá sus pedidos.",
		RemedyUsageGuide:           "Le enviaremos por este chat una guía paso a paso para usar el producto y le ayudamos en lo que necesite.",
		RemedyAfterSalesGuidance:   "Si el producto no le sirve, se lo cambiamos sin costo, y estamos aquí para ayudarle con su uso.",
		RemedySmallCoupon:          "Como disculpa, le enviaremos un cupón{amount} para su próxima compra.",
	},
	LangPT: {
		RemedyReship:               "Vamos enviar um novo produto em até 48 horas, com frete por nossa conta.",
		RemedyRefundNoReturn:       "Vamos reembolsar o valor total{amount}, e você não precisa devolver o produto.",
		RemedyReshipAndCoupon:      "Vamos enviar um novo produto em até 48 horas, com frete por nossa conta, e um cupom{amount} para sua próxima compra.",
		RemedyShippingCompensation: "Vamos compensar o valor do frete{amount}.",
		RemedyCoupon:               "Vamos enviar um cupom{amount} para sua próxima compra.",
		RemedyFreeShippingNext:     "Seu próximo pedido conosco terá frete grátis.",
		RemedyApology:              "Pedimos sinceras desculpas; estamos verificando o que falhou para que não se repita.",
		RemedyDedicatedAgent:       "A partir de agora, um atendente dedicado vai cuidar dos seus pedidos.",
		RemedyUsageGuide:           "Vamos enviar por este chat um guia passo a passo para usar o produto, e ajudamos no que precisar.",
		RemedyAfterSalesGuidance:   "Se o produto não servir para você, trocamos sem custo, e estamos aqui para ajudar com o uso.",
		RemedySmallCoupon:          "Como pedido de desculpas, vamos enviar um cupom{amount} para sua próxima compra.",
	},
	LangZH: {
		RemedyReship:               "我们将在48小时内为您免费补发，运费由我们承担。",
		RemedyRefundNoReturn:       "我们将为您全额退款{amount}，商品无需退回。",
		RemedyReshipAndCoupon:      "我们将在48小时内为您免费补发，并送您一张{amount}优惠券，可用于下次购物。",
		RemedyShippingCompensation: "我们将补偿您的运费{amount}。",
		RemedyCoupon:               "我们将送您一张{amount}无门槛优惠券，可用于下次购物。",
		RemedyFreeShippingNext:     "您下次在本店购物将免运费。",
		RemedyApology:              "再次向您诚恳道歉，我们正在核查问题原因，避免再次发生。",
		RemedyDedicatedAgent:       "今后将由专属客服优先为您服务。",
		RemedyUsageGuide:           "我们会在这里发给您详细的图文使用教程，有任何步骤不清楚随时问我们。",
		RemedyAfterSalesGuidance:   "如果商品不适合您，我们可以免费为您退换，使用上有任何问题我们都会全力帮助。",
		RemedySmallCoupon:          "为表歉意，我们将送您一张{amount}优惠券，可用于下次购物。",
	},
}

// appealFact is what the order records show, for appeals of non-malicious issues.
var appealFact = map[string]map[Issue]string{
	LangEN: {
		IssueLogisticsDelay:        "the order was shipped on time and the delay happened with the carrier",
		IssueDamagedOrLost:         "the item was packed and shipped intact",
		IssueQuality:               "the item passed our quality check before shipping",
		IssueNotAsDescribed:        "the item shipped matches the listing",
		IssueServiceAttitude:       "every message from the buyer was answered politely and on time",
		IssueBuyerMisunderstanding: "the item works as described when used according to its instructions",
	},
	LangES: {
		IssueLogisticsDelay:        "el pedido se despachó a tiempo y la demora ocurrió con el transportista",
		IssueDamagedOrLost:         "el producto se embaló y despachó en perfecto estado",
		IssueQuality:               "el producto pasó nuestro control de calidad antes del envío",
		IssueNotAsDescribed:        "el producto enviado coincide con la publicación",
		IssueServiceAttitude:       "todos los mensajes del comprador se respondieron a tiempo y con cortesía",
		IssueBuyerMisunderstanding: "el producto funciona como se describe si se usa según sus instrucciones",
	},
	LangPT: {
		IssueLogisticsDelay:        "o pedido foi despachado no prazo e o atraso ocorreu com a transportadora",
		IssueDamagedOrLost:         "o produto foi embalado e despachado em perfeito estado",
		IssueQuality:               "o produto passou pelo nosso controle de qualidade antes do envio",
		IssueNotAsDescribed:        "o produto enviado corresponde ao anúncio",
		IssueServiceAttitude:       "todas as mensagens do comprador foram respondidas com cortesia e no prazo",
		IssueBuyerMisunderstanding: "o produto funciona como descrito quando usado conforme as instruções",
	},
	LangZH: {
		IssueLogisticsDelay:        "订单按时发出，延误发生在快递运输环节",
		IssueDamagedOrLost:         "商品打包完好并完整发出",
		IssueQuality:               "商品发货前已通过质检",
		IssueNotAsDescribed:        "所发商品与商品描述一致",
		IssueServiceAttitude:       "买家的每条消息均得到及时、礼貌的回复",
		IssueBuyerMisunderstanding: "按说明使用时商品功能正常",
	},
}

// frames hold the rest of each text. Placeholders: {apology}, {noun},
// {remedy}, {fact}, {signature}.
type frames struct {
	firstContact     string
	remedyOffer      string
	followUp         string
	publicReply      string // for platforms with room (Taobao, eBay: 500)
	publicReplyShort string // Mercado Libre: fewer than 160 characters
	// publicApology is the public half of an apology remedy, after private
	// contact succeeded (so it must not say the buyer never answered).
	publicApology      string
	publicApologyShort string
	appeal             string
	appealMalicious    string
	signature          string // {shop}
}

var textFrames = map[string]frames{
	LangEN: {
		firstContact:       "Hello! {apology} We want to solve this for you right away. Could you tell us what happened, with a photo if possible? We will get back to you with a solution within 3 hours of your reply.{signature}",
		remedyOffer:        "Hello! {apology} {remedy} If you agree, just reply here and we will take care of it right away.{signature}",
		followUp:           "Hello! We wanted to check: is the problem with {noun} solved now? If anything is still not right, just reply here and we will help.{signature}",
		publicReply:        "We are sorry for the problem with {noun}. We looked into the order and tried to contact you privately to solve it, but have not heard back yet. We remain available through the marketplace messages and will do everything we can to help.",
		publicReplyShort:   "Sorry for the problem with {noun}. We tried to reach you privately and remain available through the purchase messages to help.",
		publicApology:      "We sincerely apologize for the problem with {noun} and for how we handled it. We have reached out privately, reviewed what went wrong and changed how we respond so it does not happen again. We remain available through the marketplace messages.",
		publicApologyShort: "We sincerely apologize for the problem with {noun}. We have reached out privately and are improving our service.",
		appeal:             "We ask the platform to assess this rating under its rules. The order records (tracking, chat history and photos) show that {fact}. The records are attached; we remain ready to help the buyer through the platform's messages.",
		appealMalicious:    "We ask the platform to assess this rating under its rules. The buyer demanded money or compensation under the threat of a negative rating, which the order facts do not support: the order, its tracking and our chat history are attached. We offered help only through the platform's messages and kept every exchange there.",
		signature:          "\n{shop} team",
	},
	LangES: {
		firstContact:       "¡Hola! {apology} Queremos resolverlo de inmediato. ¿Podría contarnos qué pasó, con una foto si es posible? Le daremos una solución en hasta 3 horas después de su respuesta.{signature}",
		remedyOffer:        "¡Hola! {apology} {remedy} Si está de acuerdo, responda aquí y lo haremos de inmediato.{signature}",
		followUp:           "¡Hola! Queremos saber: ¿ya se resolvió el problema con {noun}? Si algo sigue mal, responda aquí y le ayudamos.{signature}",
		publicReply:        "Lamentamos el problema con {noun}. Revisamos el pedido e intentamos contactarle en privado para resolverlo, pero aún no recibimos respuesta. Seguimos disponibles por los mensajes de la compra y haremos todo lo posible para ayudarle.",
		publicReplyShort:   "Lamentamos el problema con {noun}. Intentamos contactarle en privado y seguimos disponibles por los mensajes de la compra.",
		publicApology:      "Pedimos sinceras disculpas por el problema con {noun} y por cómo lo atendimos. Ya le contactamos en privado, revisamos lo que falló y mejoramos nuestra atención para que no se repita. Seguimos disponibles por los mensajes de la compra.",
		publicApologyShort: "Pedimos disculpas por el problema con {noun}. Ya le contactamos en privado y mejoramos nuestra atención.",
		appeal:             "Solicitamos a la plataforma que evalúe esta calificación según sus reglas. Los registros del pedido (seguimiento, historial del chat y fotos) muestran que {fact}. Adjuntamos los registros; seguimos dispuestos a ayudar al comprador por los mensajes de la plataforma.",
		appealMalicious:    "Solicitamos a la plataforma que evalúe esta calificación según sus reglas. El comprador exigió dinero o una compensación bajo amenaza de una calificación negativa, lo que no se corresponde con los hechos del pedido: adjuntamos el pedido, su seguimiento y el historial del chat. Ofrecimos ayuda solo por los mensajes de la plataforma y mantuvimos allí toda la conversación.",
		signature:          "\nEquipo {shop}",
	},
	LangPT: {
		firstContact:       "Olá! {apology} Queremos resolver isso agora mesmo. Pode nos contar o que aconteceu, com uma foto se possível? Daremos uma solução em até 3 horas após sua resposta.{signature}",
		remedyOffer:        "Olá! {apology} {remedy} Se estiver de acordo, responda aqui e cuidaremos disso imediatamente.{signature}",
		followUp:           "Olá! Queremos saber: o problema com {noun} já foi resolvido? Se algo ainda não estiver bem, responda aqui e vamos ajudar.{signature}",
		publicReply:        "Lamentamos o problema com {noun}. Verificamos o pedido e tentamos falar com você em particular para resolver, mas ainda não tivemos resposta. Seguimos à disposição pelas mensagens da compra e faremos todo o possível para ajudar.",
		publicReplyShort:   "Lamentamos o problema com {noun}. Tentamos falar com você em particular e seguimos à disposição pelas mensagens da compra.",
		publicApology:      "Pedimos sinceras desculpas pelo problema com {noun} e pela forma como atendemos. Já falamos com você em particular, revisamos o que falhou e melhoramos nosso atendimento para que não se repita. Seguimos à disposição pelas mensagens da compra.",
		publicApologyShort: "Pedimos desculpas pelo problema com {noun}. Já falamos com você em particular e melhoramos nosso atendimento.",
		appeal:             "Solicitamos que a plataforma analise esta avaliação conforme suas regras. Os registros do pedido (rastreio, histórico do chat e fotos) mostram que {fact}. Anexamos os registros; seguimos à disposição para ajudar o comprador pelas mensagens da plataforma.",
		appealMalicious:    "Solicitamos que a plataforma analise esta avaliação conforme suas regras. O comprador exigiu dinheiro ou compensação sob ameaça de uma avaliação negativa, o que não corresponde aos fatos do pedido: anexamos o pedido, o rastreio e o histórico do chat. Oferecemos ajuda somente pelas mensagens da plataforma e mantivemos toda a conversa ali.",
		signature:          "\nEquipe {shop}",
	},
	LangZH: {
		firstContact:       "亲，您好！{apology}我们想第一时间为您解决，方便告诉我们具体情况吗？如有照片更好。收到您的回复后，我们会在3小时内给出解决方案，绝不推诿。{signature}",
		remedyOffer:        "亲，您好！{apology}{remedy}如您同意，直接回复我们即可，我们马上为您处理。{signature}",
		followUp:           "亲，您好！想跟您确认一下，之前{noun}的问题现在解决了吗？如果还有任何不满意的地方，直接回复我们，我们会继续为您处理。{signature}",
		publicReply:        "亲，非常抱歉给您带来不佳体验！关于{noun}的问题，我们已核查并多次尝试私信联系您沟通解决方案，但暂未收到回复。我们始终重视每一位买家的体验，若您仍有不满，可随时通过平台消息联系我们，我们会全力为您解决。",
		publicReplyShort:   "非常抱歉给您带来不佳体验！关于{noun}的问题，我们已尝试私信联系您，如有需要请随时通过平台消息联系我们。",
		publicApology:      "亲，非常抱歉{noun}的问题给您带来了不好的体验，也为我们的服务不周郑重道歉！我们已私信与您沟通，并已核查问题、改进服务流程，避免再次发生。如有任何需要，欢迎随时通过平台消息联系我们。",
		publicApologyShort: "非常抱歉{noun}的问题给您带来不好的体验！我们已私信与您沟通并改进服务，如有需要请随时通过平台消息联系我们。",
		appeal:             "申请平台依据评价规范核查该评价。订单记录（物流轨迹、聊天记录及照片）显示{fact}。相关记录已附上，我们仍愿意通过平台消息为买家提供帮助。",
		appealMalicious:    "申请平台依据评价规范核查该评价。买家以差评相威胁索要钱款或补偿，与订单事实不符；订单信息、物流轨迹及聊天记录已附上。我们始终只通过平台消息提供帮助，全部沟通均在平台内留痕。",
		signature:          "\n{shop}客服",
	},
}
