package main

import (
	"github.com/spf13/cobra"
)

func migrateCmd() *cobra.Command {
	return appCommand("migrate", "Apply database migrations", false, (*app).migrate)
}
