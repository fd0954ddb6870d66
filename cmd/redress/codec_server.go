package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/spf13/cobra"

	"github.com/redress-hq/redress/api"
)

func codecServerCmd() *cobra.Command {
	return appCommand("codec-server",
		"Serve Temporal's codec endpoint (/encode, /decode) so managers read decrypted histories in the Temporal UI",
		false, (*app).codecServer)
}

// codecServer decrypts payloads for the Temporal UI at CODEC_SERVER_ADDR,
// for managers' and admins' API tokens, to TEMPORAL_UI_URL's origin only.
func (a *app) codecServer(ctx context.Context) error {
	keys, _ := a.cfg.PayloadRing() // validated in config.Load
	origin, err := originOf(a.cfg.TemporalUIURL)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Addr: a.cfg.CodecServerAddr,
		Handler: api.NewCodecServer(api.CodecDeps{
			Store: a.store, Keys: keys, Logger: a.log,
			BootstrapToken: a.cfg.BootstrapToken, UIOrigin: origin,
		}),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
	}
	errc := make(chan error, 1)
	go func() {
		a.log.Info("codec server listening", "addr", srv.Addr, "ui_origin", origin)
		errc <- srv.ListenAndServe()
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// originOf is the scheme://host[:port] a browser sends as Origin.
func originOf(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return "", fmt.Errorf("TEMPORAL_UI_URL %q is not an absolute URL", raw)
	}
	return u.Scheme + "://" + u.Host, nil
}
