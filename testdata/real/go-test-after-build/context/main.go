// greet prints a greeting for its arguments.
package main

import (
	"fmt"
	"os"
	"strings"
)

func greeting(words []string) string {
	if len(words) == 0 {
		return "hello, world"
	}
	return "hello, " + strings.Join(words, " ")
}

func main() {
	fmt.Println(greeting(os.Args[1:]))
}
