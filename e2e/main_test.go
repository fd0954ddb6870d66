// Package e2e drives Redress only through its HTTP API, against the real
// stack: a Temporal dev server, PostgreSQL, the worker, and the marketplace
// simulator speaking each platform's wire format.
package e2e

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/redress-hq/redress/alerts"
	"github.com/redress-hq/redress/internal/testenv"
)

var (
	stack *testenv.Stack
	// tokens per role, created through the API
	agent, manager, robot string
	// sellerMail receives the e-mail alert channels' mail.
	sellerMail *mailbox
)

func TestMain(m *testing.M) {
	settings := testenv.DefaultSettings()
	settings.AutoContact = false            // agents contact buyers through tasks here
	settings.NoReplyAfter = 3 * time.Second // a silent buyer leads to the public reply quickly
	var tokens testenv.Tokens
	box, smtpAddr, stopMail, err := startMailbox()
	if err != nil {
		fmt.Fprintf(os.Stderr, "e2e: mailbox: %v\n", err)
		os.Exit(1)
	}
	sellerMail = box
	code := testenv.RunPackage(m, "e2e", testenv.Options{Settings: settings, ValidateResponses: true,
		AlertSMTP: alerts.SMTPConfig{Addr: smtpAddr, From: "Redress <alerts@redress.test>"}}, &stack, &tokens, func() {
		agent, manager, robot = tokens.Agent, tokens.Manager, tokens.Automation
	})
	stopMail()
	os.Exit(code)
}
