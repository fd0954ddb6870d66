package workflows

import (
	"strings"

	"github.com/redress-hq/redress/cases"
)

// manualAction is what a manual step does, whatever remedy asked for it.
type manualAction string

const (
	manualRefund  manualAction = "refund"  // refunds and shipping compensation
	manualCoupon  manualAction = "coupon"  // coupons and free-shipping coupons
	manualReship  manualAction = "reship"  // a replacement shipment
	manualMessage manualAction = "message" // a private message to the buyer
)

// consoleGuide is where in a platform's seller console a person does a step
// its public API cannot, and what to confirm it with. Path placeholders:
// {order}, {buyer}, {amount}, {currency}, {reason}.
type consoleGuide struct {
	Path      string
	Reference string
}

// consoleGuides covers every step a platform's capability flags say has no
// API (cases.PlatformRules: MessageAPI, RefundAPI, CouponAPI, ReshipAPI).
var consoleGuides = map[cases.Marketplace]map[manualAction]consoleGuide{
	cases.Amazon: {
		manualRefund: {
			Path:      "Seller Central → Orders → Manage Orders → search order {order} → Refund order → Reason for refund: {reason} → amount to refund {amount} {currency} → Submit refund",
			Reference: "the refund's adjustment id shown under Order details → Refunds",
		},
		manualCoupon: {
			Path:      "Seller Central → Advertising → Coupons → Create a new coupon for the product of order {order}, value {amount} {currency}",
			Reference: "the coupon's name or id",
		},
		manualReship: {
			Path:      "Seller Central → Orders → Create Multi-Channel Fulfillment Order → replacement for order {order} to the order's address",
			Reference: "the fulfillment order id or tracking number",
		},
		manualMessage: {
			Path:      "Seller Central → Orders → Manage Orders → order {order} → Contact Buyer → send the text below",
			Reference: "the time the message was sent, as Buyer-Seller Messages shows it",
		},
	},
	cases.Taobao: {
		manualRefund: {
			Path:      "千牛 → 交易 → 已卖出的宝贝 → 订单 {order} → 订单详情 → 退款 (主动退款) → 退款金额 {amount} {currency} → 退款原因: {reason} → 确认",
			Reference: "the 退款编号 (refund number) of the refund",
		},
		manualCoupon: {
			Path:      "千牛 → 营销 → 优惠券 → 定向发放给买家 {buyer} (订单 {order}), 面额 {amount} {currency}",
			Reference: "the coupon's 活动ID",
		},
		manualReship: {
			Path:      "千牛 → 交易 → 已卖出的宝贝 → 订单 {order} → 补发 → 填写物流公司和运单号",
			Reference: "the 运单号 (tracking number) of the reshipment",
		},
		manualMessage: {
			Path:      "千牛 → 接待中心 (旺旺) → 买家 {buyer}, 订单 {order} → 发送下面的消息",
			Reference: "the time the message was sent, as the chat shows it",
		},
	},
	cases.MercadoLibre: {
		manualRefund: {
			Path:      "Mercado Libre → Ventas → venta {order} → Devolver dinero → monto {amount} {currency} → motivo: {reason}",
			Reference: "the refund's operation number in Mercado Pago",
		},
		manualCoupon: {
			Path:      "Mercado Libre → Marketing → Centro de promociones → Cupones → Crear cupón para el comprador {buyer} (venta {order}), valor {amount} {currency}; send the code in the sale's messages",
			Reference: "the coupon code",
		},
		manualReship: {
			Path:      "Mercado Libre → Ventas → venta {order} → Enviar un producto de reemplazo (Mercado Envíos) → imprimir etiqueta",
			Reference: "the tracking number of the replacement shipment",
		},
		manualMessage: {
			Path:      "Mercado Libre → Ventas → venta {order} → Mensajes → send the text below",
			Reference: "the time the message was sent, as the conversation shows it",
		},
	},
	cases.EBay: {
		manualRefund: {
			Path:      "Seller Hub → Orders → order {order} → More actions → Send refund → amount {amount} {currency} → reason: {reason}",
			Reference: "the refund's reference id shown on the order",
		},
		manualCoupon: {
			Path:      "Seller Hub → Marketing → Promotions → Create a coded coupon for buyer {buyer} (order {order}), value {amount} {currency}; send the code in the order's messages",
			Reference: "the coupon code",
		},
		manualReship: {
			Path:      "Seller Hub → Orders → order {order} → Ship a replacement: print a shipping label or Add tracking number",
			Reference: "the tracking number of the replacement shipment",
		},
		manualMessage: {
			Path:      "Seller Hub → Orders → order {order} → Contact buyer → send the text below",
			Reference: "the time the message was sent, as My eBay Messages shows it",
		},
	},
}

// consoleVars fill a guide's placeholders.
type consoleVars struct {
	Order, Buyer, Currency, Reason string
	Amount                         cases.Money
}

// consoleSteps returns where to do the action and what reference to give.
func consoleSteps(m cases.Marketplace, a manualAction, v consoleVars) (path, reference string) {
	g, ok := consoleGuides[m][a]
	if !ok {
		g = consoleGuide{Path: string(m) + " seller console → order {order} → " + string(a), Reference: "the platform's confirmation"}
	}
	fill := strings.NewReplacer("{order}", v.Order, "{buyer}", v.Buyer, "{amount}", v.Amount.String(),
		"{currency}", v.Currency, "{reason}", v.Reason)
	return fill.Replace(g.Path), g.Reference
}
