package config

import (
	"io"
	"log/slog"
)

// Logger builds the process logger from LOG_LEVEL and LOG_FORMAT.
func (c Config) Logger(w io.Writer) *slog.Logger {
	level, _ := c.level() // validated in Load
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}
