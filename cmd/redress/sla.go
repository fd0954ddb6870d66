package main

import (
	"encoding/json"
	"fmt"
	"os"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/redress-hq/redress/api"
	"github.com/redress-hq/redress/cases"
)

func slaCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "sla", Short: "SLA policies"}
	var policyPath, from, to string
	var asJSON bool
	whatif := &cobra.Command{
		Use:   "whatif",
		Short: "Fold past cases' events under a proposed SLA policy and compare met/breached/late-by with what happened",
		RunE: func(cmd *cobra.Command, _ []string) error {
			raw, err := os.ReadFile(policyPath)
			if err != nil {
				return fmt.Errorf("--policy: %w", err)
			}
			var doc cases.PolicyDoc
			if err := json.Unmarshal(raw, &doc); err != nil {
				return fmt.Errorf("--policy %s: %w", policyPath, err)
			}
			if err := doc.Validate(); err != nil {
				return fmt.Errorf("--policy %s: %w", policyPath, err)
			}
			f, err := parseWhen(from)
			if err != nil {
				return fmt.Errorf("--from: %w", err)
			}
			t, err := parseWhen(to)
			if err != nil {
				return fmt.Errorf("--to: %w", err)
			}
			ctx, stop := signalContext()
			defer stop()
			a, err := newApp(ctx, false)
			if err != nil {
				return err
			}
			defer a.Close()
			rep, err := api.WhatIf(ctx, a.store, doc, f, t, time.Now())
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(rep)
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 2, 2, ' ', 0)
			fmt.Fprintf(w, "%d cases opened %s – %s\n", rep.Cases, f.Format(time.RFC3339), t.Format(time.RFC3339))
			fmt.Fprintln(w, "deadline\tmarketplace\tn\tmet now\tbreached now\tavg late now\tmet proposed\tbreached proposed\tavg late proposed")
			for _, r := range rep.Rows {
				fmt.Fprintf(w, "%s\t%s\t%d\t%d\t%d\t%s\t%d\t%d\t%s\n", r.Kind, r.Marketplace, r.Deadlines,
					r.Now.Met, r.Now.Breached, time.Duration(r.Now.AvgLateBySeconds)*time.Second,
					r.Proposed.Met, r.Proposed.Breached, time.Duration(r.Proposed.AvgLateBySeconds)*time.Second)
			}
			return w.Flush()
		},
	}
	whatif.Flags().StringVar(&policyPath, "policy", "", "JSON policy file: {\"rules\": [{\"marketplace\", \"issue\", \"durations\": {\"first_contact\": \"12h\"}, \"reminder_ratio\", \"business_hours\": {\"start\", \"end\", \"time_zone\"}}]}")
	whatif.Flags().StringVar(&from, "from", "", "cases opened from (RFC 3339 time or date)")
	whatif.Flags().StringVar(&to, "to", "", "cases opened before (RFC 3339 time or date)")
	whatif.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	_ = whatif.MarkFlagRequired("policy")
	_ = whatif.MarkFlagRequired("from")
	_ = whatif.MarkFlagRequired("to")
	cmd.AddCommand(whatif)
	return cmd
}

// parseWhen reads an RFC 3339 time or a date.
func parseWhen(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Parse(time.DateOnly, s)
}
