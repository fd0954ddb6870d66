package intake_test

import (
	"context"
	"testing"
	"time"

	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/intake"
	"github.com/redress-hq/redress/internal/keyring"
	"github.com/redress-hq/redress/internal/payloadcrypt"
	"github.com/redress-hq/redress/internal/testenv"
)

// A poll schedule acts for its shop's organisation (so the cases its runs
// open name it, for the codec server), also when a schedule created without
// one — by a caller that named none — is reconciled.
func TestPollScheduleActsForTheShopsOrganisation(t *testing.T) {
	ctx := context.Background()
	srv, err := testenv.StartTemporal(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Stop() })
	c, err := client.DialContext(ctx, payloadcrypt.ClientOptions(
		client.Options{HostPort: srv.FrontendHostPort(), Namespace: "default"}, keyring.Generate("k")))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)

	shop := intake.Shop{Marketplace: cases.MercadoLibre, ShopID: "1001"}
	orgOf := func() string {
		d, err := c.WorkflowService().DescribeSchedule(ctx, &workflowservice.DescribeScheduleRequest{
			Namespace: "default", ScheduleId: intake.PollWorkflowID(shop.Marketplace, shop.ShopID)})
		if err != nil {
			t.Fatal(err)
		}
		h := d.Schedule.GetAction().GetStartWorkflow().GetHeader().GetFields()[payloadcrypt.HeaderOrg]
		if h == nil {
			return ""
		}
		return string(h.Data)
	}
	if err := intake.EnsureSchedules(ctx, c, []intake.Shop{shop}, time.Hour); err != nil {
		t.Fatal(err)
	}
	if got := orgOf(); got != "" {
		t.Fatalf("a schedule created for no organisation acts for %s", got)
	}
	shop.OrgID = "acme"
	if err := intake.EnsureSchedules(ctx, c, []intake.Shop{shop}, time.Hour); err != nil {
		t.Fatal(err)
	}
	if got := orgOf(); got != `"acme"` {
		t.Fatalf("after reconciling, the schedule acts for %s, want \"acme\"", got)
	}
}
