// Package alerts delivers case alerts to the channels an organisation chose
// (a signed webhook, Slack, DingTalk or WeCom robots, e-mail), routed by
// the alert's kind and severity, retried, and logged one row per alert and
// channel so a retried activity never posts twice to a channel that has it.
package alerts

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/store"
)

// Store is what the router reads and writes; *store.Store satisfies it.
type Store interface {
	AlertChannelsFor(ctx context.Context, m cases.Marketplace, shopID string) ([]store.AlertChannel, error)
	AlertDelivered(ctx context.Context, channelID, key string) (bool, error)
	RecordAlertDelivery(ctx context.Context, d store.AlertDelivery) error
}

// Router is the activities' Notifier: it sends each alert to every channel
// that wants it, then to Fallback (the deployment-wide webhook), if any.
type Router struct {
	Store    Store
	HTTP     *http.Client
	SMTP     SMTPConfig
	Fallback activities.Notifier
	Logger   *slog.Logger
	// Attempts per channel within one call (default 3), Backoff between them (default 500 ms, doubling).
	Attempts int
	Backoff  time.Duration
	// Now is the clock signatures are stamped with (default time.Now).
	Now func() time.Time
}

var _ activities.Notifier = (*Router)(nil)

// Notify delivers the alert to every channel that wants it. A channel that
// fails after its attempts fails the call, so the activity is retried; the
// channels that already have the alert are skipped then.
func (r *Router) Notify(ctx context.Context, a activities.Alert) error {
	var errs []error
	if r.Fallback != nil {
		if err := r.Fallback.Notify(ctx, a); err != nil {
			errs = append(errs, err)
		}
	}
	channels, err := r.Store.AlertChannelsFor(ctx, a.Marketplace, a.ShopID)
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("alert channels: %w", err))...)
	}
	retryable := len(errs) > 0 // the fallback's failures are worth another try
	for _, ch := range channels {
		if !ch.Wants(string(a.Kind), a.Severity) {
			continue
		}
		if res := r.deliver(ctx, ch, a); res.err != nil {
			errs = append(errs, fmt.Errorf("channel %s (%s): %w", ch.ID, ch.Type, res.err))
			retryable = retryable || !res.permanent
		}
	}
	if len(errs) > 0 && !retryable {
		errs = append(errs, activities.ErrAlertUndeliverable)
	}
	return errors.Join(errs...)
}

// deliver sends one alert to one channel unless the log says it has it.
func (r *Router) deliver(ctx context.Context, ch store.AlertChannel, a activities.Alert) result {
	key := a.IdempotencyKey
	if key == "" {
		key = fmt.Sprintf("%s:%s:%s", a.CaseID, a.Kind, a.Deadline)
	}
	done, err := r.Store.AlertDelivered(ctx, ch.ID, key)
	if err != nil {
		return result{err: err}
	}
	if done {
		return result{}
	}
	send := r.sender(ch.Type)
	attempts, backoff := r.Attempts, r.Backoff
	if attempts <= 0 {
		attempts = 3
	}
	if backoff <= 0 {
		backoff = 500 * time.Millisecond
	}
	var (
		res   result
		tries int
	)
	for tries = 1; ; tries++ {
		res = send(ctx, ch, a, key)
		if res.err == nil || res.permanent || tries == attempts {
			break
		}
		select {
		case <-ctx.Done():
			res.err = errors.Join(res.err, ctx.Err())
		case <-time.After(backoff):
			backoff *= 2
			continue
		}
		break
	}
	d := store.AlertDelivery{
		OrgID: ch.OrgID, ChannelID: ch.ID, IdempotencyKey: key, CaseID: a.CaseID,
		Marketplace: string(a.Marketplace), ShopID: a.ShopID, Kind: string(a.Kind), Severity: string(a.Severity),
		Status: store.DeliveryDelivered, Attempts: tries, ResponseStatus: res.status,
	}
	if res.err != nil {
		d.Status, d.Error = store.DeliveryFailed, truncate(res.err.Error(), 500)
	}
	// The log is written even when the caller gave up, so it outlives the request.
	logCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := r.Store.RecordAlertDelivery(logCtx, d); err != nil {
		r.logger().ErrorContext(ctx, "alert delivery not logged", "channel_id", ch.ID, "key", key, "error", err)
	}
	return res
}

// result is one attempt's outcome: permanent failures are not retried.
type result struct {
	status    int
	err       error
	permanent bool
}

type sendFunc func(ctx context.Context, ch store.AlertChannel, a activities.Alert, key string) result

func (r *Router) sender(t store.AlertChannelType) sendFunc {
	switch t {
	case store.ChannelWebhook:
		return r.sendWebhook
	case store.ChannelSlack:
		return r.sendSlack
	case store.ChannelDingTalk:
		return r.sendDingTalk
	case store.ChannelWeCom:
		return r.sendWeCom
	case store.ChannelEmail:
		return r.sendEmail
	}
	return func(context.Context, store.AlertChannel, activities.Alert, string) result {
		return result{err: fmt.Errorf("unknown channel type %q", t), permanent: true}
	}
}

func (r *Router) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

func (r *Router) logger() *slog.Logger {
	if r.Logger != nil {
		return r.Logger
	}
	return slog.Default()
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
