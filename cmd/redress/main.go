// Command redress runs Redress: the API, the Temporal worker, migrations, a
// marketplace simulator, or all of it in one process for local use.
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

func main() {
	root := &cobra.Command{
		Use:           "redress",
		Short:         "Turns every bad marketplace review into a durable, audited case",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(serveCmd(), workerCmd(), migrateCmd(), devCmd(), simulateCmd(), tokenCmd(), healthcheckCmd(), slaCmd(), codecServerCmd(), privacyCmd())
	if err := root.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "redress:", err)
		os.Exit(1)
	}
}
