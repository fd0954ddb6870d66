package alerts

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"strings"

	"github.com/redress-hq/redress/activities"
	"github.com/redress-hq/redress/store"
)

// SMTPConfig is the deployment's mail relay (ALERT_SMTP_*); e-mail
// channels hold only their recipients.
type SMTPConfig struct {
	Addr     string // host:port
	From     string
	Username string // PLAIN auth, only over TLS or to localhost (net/smtp refuses otherwise)
	Password string
}

// sendEmail sends the alert as a plain-text mail to the channel's
// recipients; STARTTLS is used whenever the relay offers it. The
// Message-ID comes from the idempotency key, so a repeated send is
// recognisable as the same mail.
func (r *Router) sendEmail(ctx context.Context, ch store.AlertChannel, a activities.Alert, key string) result {
	if r.SMTP.Addr == "" || r.SMTP.From == "" {
		return result{err: errors.New("no SMTP relay configured (ALERT_SMTP_ADDR, ALERT_SMTP_FROM)"), permanent: true}
	}
	msg, err := r.mailMessage(ch, a, key)
	if err != nil {
		return result{err: err, permanent: true}
	}
	var auth smtp.Auth
	if r.SMTP.Username != "" {
		host, _, _ := net.SplitHostPort(r.SMTP.Addr)
		auth = smtp.PlainAuth("", r.SMTP.Username, r.SMTP.Password, host)
	}
	from, _ := mail.ParseAddress(r.SMTP.From)
	done := make(chan error, 1)
	go func() { done <- smtp.SendMail(r.SMTP.Addr, auth, from.Address, ch.Recipients, msg) }()
	select {
	case <-ctx.Done():
		return result{err: ctx.Err()}
	case err = <-done:
	}
	if err == nil {
		return result{status: 250}
	}
	var tpErr *textproto.Error
	if errors.As(err, &tpErr) {
		// 5xx: the relay refused for good (bad recipient, policy); 4xx: try again.
		return result{status: tpErr.Code, err: fmt.Errorf("smtp: %w", err), permanent: tpErr.Code >= 500}
	}
	return result{err: fmt.Errorf("smtp: %w", err)}
}

func (r *Router) mailMessage(ch store.AlertChannel, a activities.Alert, key string) ([]byte, error) {
	from, err := mail.ParseAddress(r.SMTP.From)
	if err != nil {
		return nil, fmt.Errorf("ALERT_SMTP_FROM: %w", err)
	}
	domain := from.Address[strings.LastIndex(from.Address, "@")+1:]
	sum := sha256.Sum256([]byte(key))
	var b bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	header("From", from.String())
	header("To", strings.Join(ch.Recipients, ", "))
	header("Subject", mime.QEncoding.Encode("utf-8", "[Redress] "+headline(ch.Language, a)))
	header("Date", r.now().UTC().Format("Mon, 02 Jan 2006 15:04:05 -0700"))
	header("Message-ID", "<"+hex.EncodeToString(sum[:16])+"@"+domain+">")
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	if _, err := qp.Write([]byte(strings.ReplaceAll(plainText(ch.Language, a), "\n", "\r\n"))); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
