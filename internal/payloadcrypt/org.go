package payloadcrypt

import (
	"context"

	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/workflow"

	"github.com/redress-hq/redress/internal/keyring"
	"github.com/redress-hq/redress/store"
)

// The organisation travels with a case from the call that starts or signals
// it (the API's caller, a webhook acting for the shop's owner) in a Temporal
// header, into the workflow, its activities, local activities and child
// workflows, and from there into every payload they seal.

// HeaderOrg is the Temporal header that carries the organisation.
const HeaderOrg = "redress-org"

type orgKey struct{}

// WithOrg returns ctx acting for organisation org.
func WithOrg(ctx context.Context, org string) context.Context {
	return context.WithValue(ctx, orgKey{}, org)
}

// OrgFrom is the organisation ctx acts for: one set by WithOrg (a header
// the worker received), else the organisation of the store scope the API
// put there; "" for the system scope and for none.
func OrgFrom(ctx context.Context) string {
	if org, _ := ctx.Value(orgKey{}).(string); org != "" {
		return org
	}
	if sc, ok := store.ScopeFrom(ctx); ok && !sc.All {
		return sc.OrgID
	}
	return ""
}

func orgOfWorkflow(ctx workflow.Context) string {
	org, _ := ctx.Value(orgKey{}).(string)
	return org
}

// OrgPropagator carries the organisation in HeaderOrg across every client
// call, workflow, activity and child workflow. A header absent (histories
// recorded before it) means no organisation.
type OrgPropagator struct{}

var _ workflow.ContextPropagator = OrgPropagator{}

func (OrgPropagator) Inject(ctx context.Context, w workflow.HeaderWriter) error {
	return setOrg(OrgFrom(ctx), w)
}

func (OrgPropagator) InjectFromWorkflow(ctx workflow.Context, w workflow.HeaderWriter) error {
	return setOrg(orgOfWorkflow(ctx), w)
}

func (OrgPropagator) Extract(ctx context.Context, r workflow.HeaderReader) (context.Context, error) {
	org, err := getOrg(r)
	if err != nil || org == "" {
		return ctx, err
	}
	return WithOrg(ctx, org), nil
}

func (OrgPropagator) ExtractToWorkflow(ctx workflow.Context, r workflow.HeaderReader) (workflow.Context, error) {
	org, err := getOrg(r)
	if err != nil || org == "" {
		return ctx, err
	}
	return workflow.WithValue(ctx, orgKey{}, org), nil
}

func setOrg(org string, w workflow.HeaderWriter) error {
	if org == "" {
		return nil
	}
	p, err := converter.GetDefaultDataConverter().ToPayload(org)
	if err != nil {
		return err
	}
	w.Set(HeaderOrg, p)
	return nil
}

func getOrg(r workflow.HeaderReader) (string, error) {
	p, ok := r.Get(HeaderOrg)
	if !ok {
		return "", nil
	}
	var org string
	err := converter.GetDefaultDataConverter().FromPayload(p, &org)
	return org, err
}

// DataConverter is the SDK's default converter with payloads encrypted; in
// a workflow, an activity or a call whose context names an organisation it
// stamps that organisation into the payloads it seals. Decoding reads any.
func DataConverter(keys *keyring.Ring) converter.DataConverter { return orgConverter(keys, "") }

// orgAware is the data converter for one organisation that knows how to
// make the one for another from a context.
type orgAware struct {
	converter.DataConverter
	keys *keyring.Ring
}

func orgConverter(keys *keyring.Ring, org string) orgAware {
	return orgAware{
		DataConverter: converter.NewCodecDataConverter(converter.GetDefaultDataConverter(), Codec{Keys: keys, Org: org}),
		keys:          keys,
	}
}

var _ converter.ContextAware = orgAware{}

func (d orgAware) WithWorkflowContext(ctx workflow.Context) converter.DataConverter {
	return orgConverter(d.keys, orgOfWorkflow(ctx))
}

func (d orgAware) WithContext(ctx context.Context) converter.DataConverter {
	return orgConverter(d.keys, OrgFrom(ctx))
}
