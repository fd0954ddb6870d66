package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
)

func privacyCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "privacy", Short: "Buyers' personal data: key maintenance (docs/privacy.md)"}
	cmd.AddCommand(appCommand("rewrap-data-keys",
		"Wrap every buyer key with the first key of REDRESS_DATA_KEYS, so older deployment keys can be retired",
		false, func(a *app, ctx context.Context) error {
			n, err := a.store.RewrapBuyerKeys(ctx)
			if err != nil {
				return err
			}
			ring, _ := a.cfg.DataRing()
			fmt.Printf("rewrapped %d buyer keys with data key %q\n", n, ring.ActiveID())
			return nil
		}))
	return cmd
}
