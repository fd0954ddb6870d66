package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/redress-hq/redress/api"
	"github.com/redress-hq/redress/cases"
)

func tokenCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "token", Short: "Manage API tokens"}
	var role, name string
	create := &cobra.Command{
		Use:   "create",
		Short: "Create an API token and print it once",
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !cases.Role(role).Valid() {
				return fmt.Errorf("--role must be agent, manager, automation or admin, got %q", role)
			}
			if name == "" {
				return fmt.Errorf("--name is required")
			}
			ctx, stop := signalContext()
			defer stop()
			a, err := newApp(ctx, false)
			if err != nil {
				return err
			}
			defer a.Close()
			plain, hash, err := api.GenerateToken()
			if err != nil {
				return err
			}
			tok, err := a.store.CreateToken(ctx, name, cases.Role(role), hash)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "token %s for %s (%s) — shown once, keep it safe:\n", tok.ID, tok.Name, tok.Role)
			fmt.Fprintln(cmd.OutOrStdout(), plain)
			return nil
		},
	}
	create.Flags().StringVar(&role, "role", "agent", "agent, manager, automation or admin")
	create.Flags().StringVar(&name, "name", "", "who the token is for (recorded as the actor)")
	cmd.AddCommand(create)
	return cmd
}
