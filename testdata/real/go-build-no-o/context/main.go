package main

import (
	"flag"
	"fmt"
	"strings"
)

var version = "1.0.3"

func main() {
	showVersion := flag.Bool("version", false, "print the version")
	upper := flag.Bool("upper", false, "shout")
	flag.Parse()
	if *showVersion {
		fmt.Println("greet", version)
		return
	}
	name := "world"
	if flag.NArg() > 0 {
		name = strings.Join(flag.Args(), " ")
	}
	msg := fmt.Sprintf("hello, %s!", name)
	if *upper {
		msg = strings.ToUpper(msg)
	}
	fmt.Println(msg)
}
