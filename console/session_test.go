package console

import (
	"testing"
	"time"
)

func TestSessionsExpireWhenIdleAndWithAge(t *testing.T) {
	now := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	s := newSessions(30*time.Minute, 12*time.Hour)
	s.now = func() time.Time { return now }

	sess := s.create("token", Principal{Name: "ana", Role: "agent"})
	now = now.Add(29 * time.Minute)
	if _, ok := s.get(sess.id); !ok {
		t.Fatal("a session used within the idle limit ended")
	}
	// Each use restarts the idle clock.
	now = now.Add(29 * time.Minute)
	if _, ok := s.get(sess.id); !ok {
		t.Fatal("a session in use ended")
	}
	now = now.Add(31 * time.Minute)
	if _, ok := s.get(sess.id); ok {
		t.Fatal("an idle session lived on")
	}

	old := s.create("token", Principal{Name: "ana", Role: "agent"})
	for range 25 { // used every 29 minutes, for more than 12 hours
		now = now.Add(29 * time.Minute)
		s.get(old.id)
	}
	if _, ok := s.get(old.id); ok {
		t.Fatal("a session outlived its maximum age")
	}

	ended := s.create("token", Principal{Name: "ana", Role: "agent"})
	s.end(ended.id)
	if _, ok := s.get(ended.id); ok {
		t.Fatal("a signed-out session lived on")
	}
	if len(s.byID) > 1 {
		t.Errorf("%d sessions kept, want expired ones dropped", len(s.byID))
	}
}
