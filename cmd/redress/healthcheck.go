package main

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/redress-hq/redress/config"
)

// healthcheckCmd lets container images without curl probe the API.
func healthcheckCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "healthcheck",
		Short: "Exit 0 when the API on HTTP_ADDR answers /healthz",
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.Load()
			if err != nil {
				return err
			}
			addr := cfg.HTTPAddr
			if strings.HasPrefix(addr, ":") || strings.HasPrefix(addr, "0.0.0.0:") {
				addr = "127.0.0.1:" + addr[strings.LastIndex(addr, ":")+1:]
			}
			c := http.Client{Timeout: 2 * time.Second}
			resp, err := c.Get("http://" + addr + "/healthz")
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("healthz answered %d", resp.StatusCode)
			}
			return nil
		},
	}
}
