package config

import (
	"fmt"
	"net"
	"net/mail"
)

// AlertSMTP is the mail relay e-mail alert channels send through; channels
// hold only their recipients.
type AlertSMTP struct {
	Addr     string `env:"ALERT_SMTP_ADDR"` // host:port; empty: e-mail channels fail, and say why in the delivery log
	From     string `env:"ALERT_SMTP_FROM"`
	Username string `env:"ALERT_SMTP_USERNAME"`
	Password string `env:"ALERT_SMTP_PASSWORD"`
}

func (s AlertSMTP) validate() []error {
	if s.Addr == "" {
		return nil
	}
	var errs []error
	if _, _, err := net.SplitHostPort(s.Addr); err != nil {
		errs = append(errs, fmt.Errorf("ALERT_SMTP_ADDR %q must be host:port", s.Addr))
	}
	if _, err := mail.ParseAddress(s.From); err != nil {
		errs = append(errs, fmt.Errorf("ALERT_SMTP_FROM %q is not an e-mail address (required with ALERT_SMTP_ADDR)", s.From))
	}
	return errs
}
