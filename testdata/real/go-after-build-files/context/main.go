// greet-files greets each name with the greeting of /etc/greet.conf, in
// each template of /usr/share/greet-templates, and checks its state folder.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	conf, err := os.ReadFile("/etc/greet.conf")
	if err != nil {
		fmt.Fprintln(os.Stderr, "greet-files:", err)
		os.Exit(1)
	}
	info, err := os.Stat("/etc/greet/greet.conf")
	if err != nil {
		fmt.Fprintln(os.Stderr, "greet-files:", err)
		os.Exit(1)
	}
	if st, err := os.Stat("/var/lib/greet"); err != nil || !st.IsDir() {
		fmt.Fprintln(os.Stderr, "greet-files: no state folder /var/lib/greet")
		os.Exit(1)
	}
	paths, _ := filepath.Glob("/usr/share/greet-templates/*.tmpl")
	sort.Strings(paths)
	if len(paths) == 0 {
		fmt.Fprintln(os.Stderr, "greet-files: no templates")
		os.Exit(1)
	}
	fmt.Printf("config mode %v\n", info.Mode().Perm())
	greeting := strings.TrimSpace(string(conf))
	for _, p := range paths {
		t, _ := os.ReadFile(p)
		for _, name := range os.Args[1:] {
			line := strings.ReplaceAll(strings.TrimSpace(string(t)), "{greeting}", greeting)
			fmt.Println(strings.ReplaceAll(line, "{name}", name))
		}
	}
}
