package main

import (
	"crypto/sha256"
	"fmt"
	"os"
	"sort"
)

func main() {
	args := os.Args[1:]
	if len(args) == 0 {
		args = []string{"alpha", "beta", "gamma"}
	}
	sort.Strings(args)
	for _, a := range args {
		fmt.Printf("%x  %s\n", sha256.Sum256([]byte(a)), a)
	}
}
