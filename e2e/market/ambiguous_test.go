package market

import (
	"context"
	"testing"
	"time"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/internal/testenv"
	"github.com/redress-hq/redress/simulator"
)

// An Amazon message whose answer is lost was sent: SP-API lists no sent
// messages, so nothing can tell a retry it was, and the connector says such a
// write "needs a person". The case must hold an ambiguous_write incident
// instead of sending the message again (the connector marks the error
// unverifiable_write, which no retry policy retries).
func TestAmazonAmbiguousMessageIsNotResent(t *testing.T) {
	t.Parallel()
	r := addReview(t, cases.Amazon, 1, qualityComplaints[cases.Amazon])
	endpoint := "POST /messaging/v1/orders/" + r.OrderID + "/"
	stack.Simulator.SetFaults(cases.Amazon, endpoint, simulator.FaultSpec{AmbiguousRate: 1})
	t.Cleanup(func() { stack.Simulator.SetFaults(cases.Amazon, endpoint, simulator.FaultSpec{}) })
	id := postReview(t, r)

	err := testenv.Eventually(context.Background(), 30*time.Second, func() (bool, error) {
		return len(ledgerOf(r.Platform, r.OrderID, simulator.LedgerMessage)) > 0, nil
	})
	if err != nil {
		t.Fatalf("the first message never reached Amazon: %v", err)
	}
	time.Sleep(4 * time.Second) // past the retry policy's first backoffs (1 s, 2 s)
	if sent := ledgerOf(r.Platform, r.OrderID, simulator.LedgerMessage); len(sent) != 1 {
		t.Errorf("Amazon received the first message %d times, want 1", len(sent))
	}
	inc := waitIncident(t, id)
	if inc.ErrorClass != cases.ErrAmbiguous {
		t.Errorf("incident class %s, want %s", inc.ErrorClass, cases.ErrAmbiguous)
	}
}
