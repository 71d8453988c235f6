package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: jsonfmt JSON")
		os.Exit(2)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, []byte(os.Args[1]), "", "  "); err != nil {
		fmt.Fprintln(os.Stderr, "jsonfmt:", err)
		os.Exit(1)
	}
	fmt.Println(out.String())
}
