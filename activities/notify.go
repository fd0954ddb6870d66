package activities

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
)

// AlertSeller tells the seller a bad review opened a case.
func (a *Activities) AlertSeller(ctx context.Context, al Alert) error {
	return a.notify(ctx, al)
}

// Escalate tells managers a deadline is near or broken, or a call failed for good.
func (a *Activities) Escalate(ctx context.Context, al Alert) error {
	return a.notify(ctx, al)
}

// ErrAlertUndeliverable marks a Notifier's failure that no retry can help
// (every receiver that failed refused the alert for good: a deleted
// webhook, a wrong signature, an unknown mailbox); the activity is then
// not retried. The delivery log says which.
var ErrAlertUndeliverable = errors.New("alert refused for good")

func (a *Activities) notify(ctx context.Context, al Alert) error {
	if a.Notifier == nil {
		a.logger().InfoContext(ctx, "alert (no notifier)", "case_id", al.CaseID, "kind", al.Kind, "message", al.Message)
		return nil
	}
	if err := a.Notifier.Notify(ctx, al); err != nil {
		err = fmt.Errorf("notify %s for %s: %w", al.Kind, al.CaseID, err)
		if errors.Is(err, ErrAlertUndeliverable) {
			return permanent("alert_undeliverable", err)
		}
		return err
	}
	return nil
}

// WebhookNotifier logs every alert and, when URL is set (ALERT_WEBHOOK_URL),
// POSTs it as JSON with an Idempotency-Key header so retries are harmless.
type WebhookNotifier struct {
	URL    string
	Client *http.Client
	Logger *slog.Logger
}

func (n WebhookNotifier) Notify(ctx context.Context, a Alert) error {
	log := n.Logger
	if log == nil {
		log = slog.Default()
	}
	log.InfoContext(ctx, "case alert", "case_id", a.CaseID, "kind", a.Kind, "marketplace", a.Marketplace,
		"shop_id", a.ShopID, "deadline", a.Deadline, "message", a.Message)
	if n.URL == "" {
		return nil
	}
	body, err := json.Marshal(a)
	if err != nil {
		return fmt.Errorf("encode alert: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, n.URL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("build alert request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", a.IdempotencyKey)
	client := n.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("post alert: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode >= 300 {
		return fmt.Errorf("post alert: webhook answered %s", resp.Status)
	}
	return nil
}
