// motd-lite prints the greeting of /etc/motd-lite/motd.conf for each name.
package main

import (
	"fmt"
	"os"
	"strings"
)

func main() {
	conf, err := os.ReadFile("/etc/motd-lite/motd.conf")
	if err != nil {
		fmt.Fprintln(os.Stderr, "motd-lite:", err)
		os.Exit(1)
	}
	greeting := strings.TrimSpace(string(conf))
	for _, name := range os.Args[1:] {
		fmt.Printf("%s, %s\n", greeting, name)
	}
}
