package marketplace

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/redress-hq/redress/cases"
)

// FileTokenStore keeps shop tokens in a JSON file, so a rotated Mercado
// Libre refresh token survives a restart. Writes replace the file
// atomically. Like MemoryTokenStore it serializes one process only.
type FileTokenStore struct {
	path string
	mu   sync.Mutex
}

// NewFileTokenStore uses path, creating it on the first Put.
func NewFileTokenStore(path string) *FileTokenStore { return &FileTokenStore{path: path} }

func (s *FileTokenStore) load() (map[string]ShopToken, error) {
	data, err := os.ReadFile(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]ShopToken{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read token file: %w", err)
	}
	var list []ShopToken
	if err := json.Unmarshal(data, &list); err != nil {
		return nil, fmt.Errorf("token file %s: %w", s.path, err)
	}
	out := make(map[string]ShopToken, len(list))
	for _, t := range list {
		out[tokenKey(t.Marketplace, t.ShopID)] = t
	}
	return out, nil
}

func (s *FileTokenStore) Get(_ context.Context, m cases.Marketplace, shopID string) (ShopToken, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	all, err := s.load()
	if err != nil {
		return ShopToken{}, err
	}
	t, ok := all[tokenKey(m, shopID)]
	if !ok {
		return ShopToken{}, ErrNoToken
	}
	return t, nil
}

func (s *FileTokenStore) Put(_ context.Context, tok ShopToken) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	all, err := s.load()
	if err != nil {
		return err
	}
	all[tokenKey(tok.Marketplace, tok.ShopID)] = tok
	list := make([]ShopToken, 0, len(all))
	for _, t := range all {
		list = append(list, t)
	}
	data, err := json.MarshalIndent(list, "", "  ")
	if err != nil {
		return fmt.Errorf("encode tokens: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.path), ".tokens-*")
	if err != nil {
		return fmt.Errorf("write token file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("write token file: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write token file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write token file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write token file: %w", err)
	}
	if err := os.Rename(tmp.Name(), s.path); err != nil {
		return fmt.Errorf("replace token file: %w", err)
	}
	return nil
}
