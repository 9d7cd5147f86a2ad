package membername

import "testing"

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"validator", true},
		{"order-store", true},
		{"v2", true},
		{"", false},
		{"Validator", false},
		{"VALIDATOR", false},
		{"my_enricher", false},
		{"my.enricher", false},
		{"order--store", false},
		{"order-", false},
		{"-order", false},
		{"2fast", false},
		{"ns:name", false},
	} {
		if err := Check(tc.name); (err == nil) != tc.ok {
			t.Errorf("Check(%q) = %v, want ok=%v", tc.name, err, tc.ok)
		}
	}
}
