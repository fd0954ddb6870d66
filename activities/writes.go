package activities

import (
	"context"
	"fmt"
	"strings"

	"go.temporal.io/sdk/temporal"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
)

// SendBuyerMessage sends a private message. The workflow already ran the
// compliance guard; it runs again here, as defence in depth, right before
// the text leaves Redress.
func (a *Activities) SendBuyerMessage(ctx context.Context, in MessageInput) (marketplace.WriteResult, error) {
	c, err := a.connector(in.Marketplace)
	if err != nil {
		return marketplace.WriteResult{}, err
	}
	if err := guard(c.Caps(), cases.TextMessage, in.Request.Text, in.Guard); err != nil {
		return marketplace.WriteResult{}, err
	}
	res, err := c.SendBuyerMessage(ctx, in.Request)
	return res, marketError(ctx, "send_buyer_message", err)
}

// PostPublicReply posts the review's one public reply, guarded like messages.
func (a *Activities) PostPublicReply(ctx context.Context, in ReplyInput) (marketplace.WriteResult, error) {
	c, err := a.connector(in.Marketplace)
	if err != nil {
		return marketplace.WriteResult{}, err
	}
	if err := guard(c.Caps(), cases.TextPublicReply, in.Request.Text, in.Guard); err != nil {
		return marketplace.WriteResult{}, err
	}
	res, err := c.PostPublicReply(ctx, in.Request)
	return res, marketError(ctx, "post_public_reply", err)
}

// IssueCoupon grants a coupon or free shipping on the next order.
func (a *Activities) IssueCoupon(ctx context.Context, in CouponInput) (marketplace.WriteResult, error) {
	c, err := a.connector(in.Marketplace)
	if err != nil {
		return marketplace.WriteResult{}, err
	}
	res, err := c.IssueCoupon(ctx, in.Request)
	return res, marketError(ctx, "issue_coupon", err)
}

// CreateReship orders a replacement shipment.
func (a *Activities) CreateReship(ctx context.Context, in ReshipInput) (marketplace.WriteResult, error) {
	c, err := a.connector(in.Marketplace)
	if err != nil {
		return marketplace.WriteResult{}, err
	}
	res, err := c.CreateReship(ctx, in.Request)
	return res, marketError(ctx, "create_reship", err)
}

// SubmitAppeal files an appeal; Manual=true means a person must file it.
func (a *Activities) SubmitAppeal(ctx context.Context, in AppealInput) (marketplace.AppealResult, error) {
	c, err := a.connector(in.Marketplace)
	if err != nil {
		return marketplace.AppealResult{}, err
	}
	res, err := c.SubmitAppeal(ctx, in.Request)
	return res, marketError(ctx, "submit_appeal", err)
}

// guard refuses a text that breaks a platform rule, as a permanent
// guard_rejected error carrying the violations.
func guard(rules cases.PlatformRules, kind cases.TextKind, text string, gc cases.GuardContext) error {
	vs := cases.CheckText(rules, kind, text, gc)
	if len(vs) == 0 {
		return nil
	}
	msgs := make([]string, 0, len(vs))
	for _, v := range vs {
		msgs = append(msgs, v.Rule+": "+v.Message)
	}
	return temporal.NewApplicationErrorWithOptions(
		fmt.Sprintf("compliance guard rejected the text: %s", strings.Join(msgs, "; ")),
		string(cases.ErrGuardRejected),
		temporal.ApplicationErrorOptions{NonRetryable: true, Details: []any{ErrorDetail{Attempt: 1, Op: string(kind)}, vs}},
	)
}
