package connectors_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/marketplace"
	"github.com/redress-hq/redress/marketplace/connectors"
	"github.com/redress-hq/redress/simulator"
	"github.com/redress-hq/redress/simulator/simtest"
)

// retry runs op the way an activity would: again on every class but
// permanent ones, until it succeeds.
func retry(t *testing.T, name string, op func() error) (attempts int) {
	t.Helper()
	for attempts = 1; attempts <= 40; attempts++ {
		err := op()
		if err == nil {
			return attempts
		}
		require.False(t, marketplace.Permanent(err), "%s: permanent error %v", name, err)
	}
	t.Fatalf("%s: still failing after 40 attempts", name)
	return attempts
}

// TestThirtyPercentFaultsLeaveNoDuplicates drives every write of every
// connector through 30 % injected faults (5xx, 429, dropped connections and
// ambiguous writes that apply and then lose the answer) with retries, and
// checks that each write landed exactly once.
func TestThirtyPercentFaultsLeaveNoDuplicates(t *testing.T) {
	ctx := context.Background()
	env := simtest.Start(t, simulator.Options{Seed: 7})
	unlimited := map[string]marketplace.Rate{marketplace.DefaultBucket: {N: 1000, Per: time.Second, Burst: 1000}}
	var opts []connectors.Option
	for _, m := range cases.Marketplaces {
		opts = append(opts, connectors.WithRates(m, unlimited))
	}
	reg, err := connectors.NewRegistry(env.Config, env.HTTP, env.Tokens, opts...)
	require.NoError(t, err)

	type target struct {
		m       cases.Marketplace
		conn    marketplace.Connector
		shop    string
		review  simulator.Review
		order   simulator.Order
		reviewK string
	}
	var targets []target
	for _, m := range cases.Marketplaces {
		conn, err := reg.Get(m)
		require.NoError(t, err)
		shop := simtest.Shops[m].ID
		for i := 0; i < 3; i++ {
			rv, o, err := env.Sim.AddReview(simulator.NewReview{Platform: m, ShopID: shop, Rating: 1, Text: "bad", Amount: 10000, ShippingFee: 500})
			require.NoError(t, err)
			reviewK := rv.ID
			if m == cases.Taobao {
				reviewK = marketplace.JoinID(o.ID, rv.ID)
			}
			targets = append(targets, target{m, conn, shop, rv, o, reviewK})
		}
		// Authorize before the faults: a lost answer to a rotating refresh
		// is an unrecoverable revocation, which is not what this test is about.
		_, err = conn.MessageEligibility(ctx, shop, targets[len(targets)-1].order.ID)
		require.NoError(t, err)
		env.Sim.SetFaults(m, "", simulator.FaultSpec{ServerErrorRate: 0.10, RateLimitRate: 0.05, DropRate: 0.05, AmbiguousRate: 0.10})
	}

	want := 0
	attempts := 0
	for _, tg := range targets {
		key := func(step string) string { return fmt.Sprintf("%s/%s/%s", tg.m, tg.order.ID, step) }
		caps := tg.conn.Caps()
		run := func(step string, op func() error) {
			want++
			attempts += retry(t, string(tg.m)+" "+step, op)
		}
		// Amazon cannot read sent messages back: a retried message after a
		// lost answer could duplicate, so Redress escalates instead (not here).
		// Steps without a platform API are manual (not here either).
		if caps.MessageAPI && caps.MessageReadBack {
			run("message", func() error {
				_, err := tg.conn.SendBuyerMessage(ctx, marketplace.MessageRequest{ShopID: tg.shop, OrderID: tg.order.ID, BuyerID: tg.order.BuyerID,
					Text: "Sorry for the trouble, we are on it.", IdempotencyKey: key("message")})
				return err
			})
		}
		if caps.PublicReply {
			run("reply", func() error {
				_, err := tg.conn.PostPublicReply(ctx, marketplace.ReplyRequest{ShopID: tg.shop, ReviewID: tg.reviewK, OrderID: tg.order.ID,
					Text: "We are sorry and have contacted you.", IdempotencyKey: key("reply")})
				return err
			})
		}
		// Taobao cannot list the coupons it sent: like Amazon messages, a lost
		// answer escalates instead of being retried.
		if caps.CouponAPI && tg.m != cases.Taobao {
			run("coupon", func() error {
				_, err := tg.conn.IssueCoupon(ctx, marketplace.CouponRequest{ShopID: tg.shop, OrderID: tg.order.ID, BuyerID: tg.order.BuyerID,
					Amount: 1000, Currency: tg.order.Currency, IdempotencyKey: key("coupon")})
				return err
			})
		}
		if caps.ReshipAPI {
			run("reship", func() error {
				_, err := tg.conn.CreateReship(ctx, marketplace.ReshipRequest{ShopID: tg.shop, OrderID: tg.order.ID, Note: "replacement", IdempotencyKey: key("reship")})
				return err
			})
		}
		if caps.RefundAPI {
			run("refund", func() error {
				_, err := tg.conn.IssueRefund(ctx, marketplace.RefundRequest{ShopID: tg.shop, OrderID: tg.order.ID, Amount: 5000, Currency: tg.order.Currency,
					Reason: "damaged", IdempotencyKey: key("refund")})
				return err
			})
		}
	}
	ledger := env.Sim.Ledger()
	t.Logf("%d writes took %d attempts; ledger has %d entries", want, attempts, len(ledger))
	assert.Greater(t, attempts, want, "faults were injected")
	assert.Empty(t, env.Sim.Duplicates())
	assert.Len(t, ledger, want, "every write landed exactly once")
}
