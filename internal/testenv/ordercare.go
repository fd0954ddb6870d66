package testenv

import (
	"go.temporal.io/sdk/worker"

	"github.com/redress-hq/redress/wiring"
)

// startOrderCare starts w, the order-care worker (its own task queue).
func (s *Stack) startOrderCare(w worker.Worker) error {
	if err := w.Start(); err != nil {
		return err
	}
	s.orderCare = w
	return nil
}

func (s *Stack) stopOrderCare() {
	if s.orderCare != nil {
		s.orderCare.Stop()
		s.orderCare = nil
	}
}

// RestartOrderCareWorker stops the order-care worker and starts a new one,
// as a crash and redeploy would: workflows resume from their histories.
func (s *Stack) RestartOrderCareWorker() error {
	s.stopOrderCare()
	return s.startOrderCare(wiring.Wire(s.deps(), wiring.Options{OrderCareWorker: true}).OrderCareWorker)
}
