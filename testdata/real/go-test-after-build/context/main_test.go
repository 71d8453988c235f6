package main

import (
	"os"
	"strings"
	"testing"
)

func TestGreeting(t *testing.T) {
	want, err := os.ReadFile("testdata/want.txt")
	if err != nil {
		t.Fatal(err)
	}
	if got := greeting([]string{"dslim"}); got != strings.TrimSpace(string(want)) {
		t.Fatalf("got %q, want %q", got, want)
	}
}
