package testenv

import (
	"go.temporal.io/sdk/worker"

	"github.com/redress-hq/redress/ordercare"
	rworker "github.com/redress-hq/redress/worker"
)

// startOrderCare runs the order-care worker (its own task queue).
func (s *Stack) startOrderCare() error {
	w := worker.New(s.Temporal, ordercare.TaskQueue, rworker.Options())
	ordercare.Register(w, &ordercare.Activities{Store: s.Store, Markets: s.Markets, Logger: s.Logger, Temporal: s.Temporal})
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
	return s.startOrderCare()
}
