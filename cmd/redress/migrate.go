package main

import (
	"github.com/spf13/cobra"
)

func migrateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Apply database migrations",
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx, stop := signalContext()
			defer stop()
			a, err := newApp(ctx, false)
			if err != nil {
				return err
			}
			defer a.Close()
			return a.migrate(ctx)
		},
	}
}
