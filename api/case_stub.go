package api

import (
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/converter"

	"github.com/redress-hq/redress/cases"
	"github.com/redress-hq/redress/workflows"
)

// startedCase is what a case's workflow recorded when it started, for a
// case read before its row is indexed and before the workflow answers: the
// marketplace and the stage its search attributes hold (openapi.json's
// Case requires both).
func startedCase(desc *workflowservice.DescribeWorkflowExecutionResponse) (cases.Marketplace, cases.Stage) {
	fields := desc.GetWorkflowExecutionInfo().GetSearchAttributes().GetIndexedFields()
	var m, stage string
	dc := converter.GetDefaultDataConverter()
	if p, ok := fields[workflows.SearchAttrMarketplace]; ok {
		_ = dc.FromPayload(p, &m)
	}
	if p, ok := fields[workflows.SearchAttrStage]; ok {
		_ = dc.FromPayload(p, &stage)
	}
	if stage == "" {
		stage = string(cases.StageIntake)
	}
	return cases.Marketplace(m), cases.Stage(stage)
}
