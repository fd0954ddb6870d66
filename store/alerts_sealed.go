package store

import (
	"encoding/json"
	"errors"
	"fmt"
)

// channelKeys are what a channel keeps sealed: its URL and its secret.
type channelKeys struct {
	URL    string `json:"url"`
	Secret string `json:"secret"`
}

// channelAAD binds sealed keys to their channel: a blob copied onto
// another channel does not open.
func channelAAD(id string) []byte { return []byte("redress/alert-channel/" + id) }

// sealKeys seals c's URL and secret into c.Sealed, leaving the URL's host
// in clear for lists and logs. Without a key ring (tests of other
// packages; every entry point has one) they stay in clear.
func (s *Store) sealKeys(c *AlertChannel) error {
	sealer, err := s.credentialSealer()
	if errors.Is(err, ErrNoCredentialKey) {
		c.Sealed, c.SealedKey = nil, ""
		return nil
	}
	if err != nil {
		return err
	}
	plain, err := json.Marshal(channelKeys{URL: c.URL, Secret: c.Secret})
	if err != nil {
		return fmt.Errorf("seal alert channel: %w", err)
	}
	c.SealedKey, c.Sealed = sealer.Seal(plain, channelAAD(c.ID))
	c.URL, c.Secret = redactedURL(c.URL), ""
	return nil
}

// openKeys restores the URL and secret of a channel read from its row.
func (s *Store) openKeys(c *AlertChannel) error {
	if len(c.Sealed) == 0 {
		return nil
	}
	sealer, err := s.credentialSealer()
	if err != nil {
		return fmt.Errorf("open alert channel %s: %w", c.ID, err)
	}
	plain, err := sealer.Open(c.SealedKey, c.Sealed, channelAAD(c.ID))
	if err != nil {
		return fmt.Errorf("open alert channel %s: %w", c.ID, err)
	}
	var k channelKeys
	if err := json.Unmarshal(plain, &k); err != nil {
		return fmt.Errorf("decode alert channel %s: %w", c.ID, err)
	}
	c.URL, c.Secret, c.Sealed, c.SealedKey = k.URL, k.Secret, nil, ""
	return nil
}
