package cases

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func typesOf(opts []RemedyOption) []RemedyType {
	out := []RemedyType{}
	for _, o := range opts {
		out = append(out, o.Type)
	}
	return out
}

func TestRemedyOptionsFollowThePlaybookTable(t *testing.T) {
	ml := RulesFor(MercadoLibre)
	cases := []struct {
		issue Issue
		resp  Responsibility
		want  []RemedyType
	}{
		{IssueQuality, RespMerchant, []RemedyType{RemedyReship, RemedyRefundNoReturn, RemedyReshipAndCoupon, RemedyApology}},
		{IssueDamagedOrLost, RespCourier, []RemedyType{RemedyReship, RemedyRefundNoReturn, RemedyReshipAndCoupon, RemedyApology}},
		{IssueNotAsDescribed, RespSupplier, []RemedyType{RemedyReship, RemedyRefundNoReturn, RemedyReshipAndCoupon, RemedyApology}},
		{IssueLogisticsDelay, RespCourier, []RemedyType{RemedyShippingCompensation, RemedyCoupon, RemedyFreeShippingNext, RemedyApology}},
		{IssueServiceAttitude, RespMerchant, []RemedyType{RemedyApology, RemedyDedicatedAgent, RemedyCoupon}},
		{IssueBuyerMisunderstanding, RespBuyerMisunderstanding, []RemedyType{RemedyUsageGuide, RemedyAfterSalesGuidance, RemedySmallCoupon, RemedyApology}},
		// Verification found the buyer misunderstood a "quality" complaint.
		{IssueQuality, RespBuyerMisunderstanding, []RemedyType{RemedyUsageGuide, RemedyAfterSalesGuidance, RemedySmallCoupon, RemedyApology}},
		{IssueSuspectedMalicious, RespMaliciousBuyer, []RemedyType{}},
		{IssueQuality, RespMaliciousBuyer, []RemedyType{}},
		{IssueSuspectedMalicious, RespMerchant, []RemedyType{RemedyApology}},
		{IssueQuality, "", []RemedyType{RemedyReship, RemedyRefundNoReturn, RemedyReshipAndCoupon, RemedyApology}},
		{Issue("bogus"), RespMerchant, []RemedyType{}},
	}
	for _, c := range cases {
		got := RemedyOptions(c.issue, c.resp, ml, 10000, 1500)
		assert.Equal(t, c.want, typesOf(got), "%s/%s", c.issue, c.resp)
		for _, o := range got {
			assert.NotEmpty(t, o.Label)
			assert.Equal(t, StepOfferMessage, o.Steps[0], "%s: the offer message goes first", o.Type)
			assert.Equal(t, RemedyCost(o.Type, 10000, 1500, 0), o.DefaultCost)
		}
	}
}

func TestRemedyOptionsDropWhatThePlatformCannotDo(t *testing.T) {
	// Amazon has no coupons and no public replies.
	got := RemedyOptions(IssueLogisticsDelay, RespCourier, RulesFor(Amazon), 10000, 1500)
	assert.Equal(t, []RemedyType{RemedyShippingCompensation, RemedyApology}, typesOf(got))
	assert.Equal(t, []RemedyStep{StepOfferMessage}, got[1].Steps, "no public apology without a public channel")

	noRefunds := RulesFor(EBay)
	noRefunds.Refunds, noRefunds.Reships = false, false
	got = RemedyOptions(IssueQuality, RespMerchant, noRefunds, 10000, 1500)
	assert.Equal(t, []RemedyType{RemedyApology}, typesOf(got))
	assert.Equal(t, []RemedyStep{StepOfferMessage, StepPublicApology}, got[0].Steps)
}

func TestRemedyCost(t *testing.T) {
	const order, ship = Money(25990), Money(1999) // 259.90 and 19.99
	cases := []struct {
		t      RemedyType
		chosen Money
		want   Money
	}{
		{RemedyReship, 0, order + ship},
		{RemedyRefundNoReturn, 0, order},
		{RemedyReshipAndCoupon, 0, order + ship + 2599},
		{RemedyReshipAndCoupon, 5000, order + ship + 5000},
		{RemedyShippingCompensation, 0, 2999}, // 1.5 × 19.99 = 29.985 → 29.99
		{RemedyCoupon, 0, 2599},               // 10 % of 259.90 = 25.99
		{RemedyCoupon, 4000, 4000},
		{RemedySmallCoupon, 0, 1299}, // 5 % of 259.90 = 12.995 → 12.99, never above 5 %
		{RemedySmallCoupon, 500, 500},
		{RemedyFreeShippingNext, 0, ship},
		{RemedyApology, 0, 0},
		{RemedyUsageGuide, 0, 0},
		{RemedyAfterSalesGuidance, 0, 0},
		{RemedyDedicatedAgent, 0, 0},
		{RemedyType("bogus"), 0, 0},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, RemedyCost(c.t, order, ship, c.chosen), "%s chosen %s", c.t, c.chosen)
	}
}

func TestRemedyCostRounding(t *testing.T) {
	// 1.5 × shipping, rounded half up to the minor unit.
	for ship, want := range map[Money]Money{0: 0, 1: 2, 3: 5, 999: 1499, 1000: 1500, 1001: 1502} {
		assert.Equal(t, want, RemedyCost(RemedyShippingCompensation, 10000, ship, 0), "shipping %s", ship)
	}
	// The coupon floor rounds up: never below 10 %.
	for order, want := range map[Money]Money{0: 0, 1: 1, 9: 1, 10: 1, 11: 2, 1005: 101, 99999: 10000} {
		assert.Equal(t, want, RemedyCost(RemedyCoupon, order, 0, 0), "order %s", order)
	}
	// The coupon added to a reship is at least one unit.
	assert.Equal(t, Money(500+0+100), RemedyCost(RemedyReshipAndCoupon, 500, 0, 0))
}

func TestValidateRemedy(t *testing.T) {
	ml := RulesFor(MercadoLibre)
	const order, ship = Money(10000), Money(1500)
	cases := []struct {
		name   string
		issue  Issue
		resp   Responsibility
		rules  PlatformRules
		t      RemedyType
		chosen Money
		want   error
	}{
		{"default reship", IssueQuality, RespMerchant, ml, RemedyReship, 0, nil},
		{"coupon at 10 %", IssueLogisticsDelay, RespCourier, ml, RemedyCoupon, 1000, nil},
		{"coupon above minimum", IssueLogisticsDelay, RespCourier, ml, RemedyCoupon, 2500, nil},
		{"coupon equal to order", IssueServiceAttitude, RespMerchant, ml, RemedyCoupon, order, nil},
		{"coupon below 10 %", IssueLogisticsDelay, RespCourier, ml, RemedyCoupon, 999, ErrRemedyAmount},
		{"coupon above order", IssueLogisticsDelay, RespCourier, ml, RemedyCoupon, order + 1, ErrRemedyAmount},
		{"small coupon at 5 %", IssueBuyerMisunderstanding, RespBuyerMisunderstanding, ml, RemedySmallCoupon, 500, nil},
		{"small coupon above 5 %", IssueBuyerMisunderstanding, RespBuyerMisunderstanding, ml, RemedySmallCoupon, 501, ErrRemedyAmount},
		{"reship coupon in range", IssueDamagedOrLost, RespCourier, ml, RemedyReshipAndCoupon, 1000, nil},
		{"reship coupon too small", IssueDamagedOrLost, RespCourier, ml, RemedyReshipAndCoupon, 10, ErrRemedyAmount},
		{"fixed amount matches", IssueLogisticsDelay, RespCourier, ml, RemedyShippingCompensation, 2250, nil},
		{"fixed amount differs", IssueLogisticsDelay, RespCourier, ml, RemedyShippingCompensation, 3000, ErrRemedyAmount},
		{"refund for a different amount", IssueQuality, RespMerchant, ml, RemedyRefundNoReturn, 5000, ErrRemedyAmount},
		{"negative", IssueLogisticsDelay, RespCourier, ml, RemedyCoupon, -1, ErrRemedyAmount},
		{"wrong issue", IssueLogisticsDelay, RespCourier, ml, RemedyReship, 0, ErrRemedyNotOffered},
		{"malicious buyer", IssueSuspectedMalicious, RespMaliciousBuyer, ml, RemedyApology, 0, ErrRemedyNotOffered},
		{"malicious buyer coupon", IssueQuality, RespMaliciousBuyer, ml, RemedyRefundNoReturn, 0, ErrRemedyNotOffered},
		{"unknown remedy", IssueQuality, RespMerchant, ml, RemedyType("cash"), 0, ErrRemedyNotOffered},
		{"amazon has no coupons", IssueLogisticsDelay, RespCourier, RulesFor(Amazon), RemedyCoupon, 0, ErrRemedyUnsupported},
		{"apology for every issue", IssueDamagedOrLost, RespCourier, RulesFor(Amazon), RemedyApology, 0, nil},
	}
	for _, c := range cases {
		err := ValidateRemedy(c.issue, c.resp, c.rules, c.t, c.chosen, order, ship)
		if c.want == nil {
			assert.NoError(t, err, c.name)
			continue
		}
		require.ErrorIs(t, err, c.want, c.name)
	}
}

func TestNeedsApproval(t *testing.T) {
	assert.False(t, NeedsApproval(5000, 5000))
	assert.True(t, NeedsApproval(5001, 5000))
	assert.False(t, NeedsApproval(0, 0))
	assert.True(t, NeedsApproval(1, 0))
}

func TestRemedyStepsAreCopies(t *testing.T) {
	steps := RemedySteps(RemedyReshipAndCoupon)
	assert.Equal(t, []RemedyStep{StepOfferMessage, StepReship, StepCoupon}, steps)
	steps[0] = StepRefund
	assert.Equal(t, StepOfferMessage, RemedySteps(RemedyReshipAndCoupon)[0])
	assert.Empty(t, RemedySteps(RemedyType("bogus")))
	assert.Equal(t, []RemedyStep{StepOfferMessage, StepShippingComp}, RemedySteps(RemedyShippingCompensation))
}
