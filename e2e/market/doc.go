// Package market holds end-to-end tests of the marketplace flows through the
// real stack: reviews and buyer messages arriving by webhook and by polling,
// failed marketplace calls becoming incidents that automations retry (one by
// one or in bulk), fault injection proving every write happens once, and the
// compliance guard refusing what a platform forbids. See main_test.go.
package market
