package e2e

import (
	"io"
	"net"
	"strings"
	"sync"

	gosmtp "github.com/emersion/go-smtp"
)

// mailbox is a real SMTP server (go-smtp) standing in for the seller's
// mail: e-mail alert channels deliver to it through ALERT_SMTP_ADDR.
type mailbox struct {
	mu   sync.Mutex
	msgs []receivedMail
}

type receivedMail struct {
	To   []string
	Data string
}

func startMailbox() (*mailbox, string, func(), error) {
	box := &mailbox{}
	srv := gosmtp.NewServer(box)
	srv.Domain = "localhost"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", nil, err
	}
	go func() { _ = srv.Serve(ln) }()
	return box, ln.Addr().String(), func() { _ = srv.Close() }, nil
}

// to returns the mails received for a recipient.
func (m *mailbox) to(rcpt string) []receivedMail {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []receivedMail
	for _, msg := range m.msgs {
		for _, r := range msg.To {
			if r == rcpt {
				out = append(out, msg)
			}
		}
	}
	return out
}

func (m *mailbox) NewSession(*gosmtp.Conn) (gosmtp.Session, error) { return &mailSession{box: m}, nil }

type mailSession struct {
	box *mailbox
	cur receivedMail
}

func (s *mailSession) Reset()                                 { s.cur = receivedMail{} }
func (s *mailSession) Logout() error                          { return nil }
func (s *mailSession) Mail(string, *gosmtp.MailOptions) error { return nil }
func (s *mailSession) Rcpt(to string, _ *gosmtp.RcptOptions) error {
	s.cur.To = append(s.cur.To, to)
	return nil
}

func (s *mailSession) Data(r io.Reader) error {
	var b strings.Builder
	if _, err := io.Copy(&b, r); err != nil {
		return err
	}
	s.cur.Data = b.String()
	s.box.mu.Lock()
	s.box.msgs = append(s.box.msgs, s.cur)
	s.box.mu.Unlock()
	return nil
}
