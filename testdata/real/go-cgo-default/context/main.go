package main

// #include "fib.h"
import "C"

import (
	"fmt"
	"os"
	"os/user"
	"strconv"
)

func main() {
	n := 40
	if len(os.Args) > 1 {
		if v, err := strconv.Atoi(os.Args[1]); err == nil {
			n = v
		}
	}
	u, err := user.LookupId("0")
	name := "?"
	if err == nil {
		name = u.Username
	}
	fmt.Printf("fib(%d) = %d (uid 0 is %s)\n", n, uint64(C.fib(C.uint(n))), name)
}
