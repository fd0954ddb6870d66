package console

import (
	"crypto/rand"
	"encoding/base64"
	"sync"
	"time"
)

// session is one signed-in browser. The API token stays on the server: the
// browser holds only the random session id.
type session struct {
	id       string
	token    string
	who      Principal
	created  time.Time
	lastSeen time.Time
}

// sessions lives in memory: until people have accounts (a later issue), a
// restart simply asks everyone to sign in again with their token.
type sessions struct {
	mu      sync.Mutex
	byID    map[string]*session
	idle    time.Duration // ends a session nobody used for this long
	maxLife time.Duration // ends every session eventually, used or not
	now     func() time.Time
}

func newSessions(idle, maxLife time.Duration) *sessions {
	return &sessions{byID: map[string]*session{}, idle: idle, maxLife: maxLife, now: time.Now}
}

func (s *sessions) create(token string, who Principal) *session {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweepLocked()
	now := s.now()
	sess := &session{id: randomID(), token: token, who: who, created: now, lastSeen: now}
	s.byID[sess.id] = sess
	return sess
}

// get returns a live session and marks it used; expired ones are dropped.
func (s *sessions) get(id string) (*session, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.byID[id]
	if !ok {
		return nil, false
	}
	now := s.now()
	if s.expired(sess, now) {
		delete(s.byID, id)
		return nil, false
	}
	sess.lastSeen = now
	return sess, true
}

func (s *sessions) end(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.byID, id)
}

func (s *sessions) expired(sess *session, now time.Time) bool {
	return now.Sub(sess.lastSeen) > s.idle || now.Sub(sess.created) > s.maxLife
}

// sweepLocked drops expired sessions, so abandoned ones do not pile up.
func (s *sessions) sweepLocked() {
	now := s.now()
	for id, sess := range s.byID {
		if s.expired(sess, now) {
			delete(s.byID, id)
		}
	}
}

func randomID() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand: " + err.Error()) // never returns an error on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
