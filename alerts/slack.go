package alerts

import (
	"context"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/store"
)

// Slack incoming webhooks take {"text": ...} (the notification and the
// fallback) with optional Block Kit blocks; the URL itself is the secret.
type slackMessage struct {
	Text   string       `json:"text"`
	Blocks []slackBlock `json:"blocks"`
}

type slackBlock struct {
	Type string    `json:"type"`
	Text slackText `json:"text"`
}

type slackText struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

func (r *Router) sendSlack(ctx context.Context, ch store.AlertChannel, a activities.Alert, _ string) result {
	// Slack's mrkdwn bolds with single asterisks.
	body := "*" + headline(ch.Language, a) + "*"
	if a.Message != "" {
		body += "\n" + a.Message
	}
	for _, d := range details(ch.Language, a) {
		body += "\n• " + d
	}
	msg := slackMessage{Text: headline(ch.Language, a), Blocks: []slackBlock{{Type: "section", Text: slackText{Type: "mrkdwn", Text: cutBytes(body, 3000)}}}}
	return r.postJSON(ctx, ch.URL, msg, nil, nil)
}
