package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"
)

func main() {
	fmt.Printf("go %s on %s/%s\n", strings.TrimPrefix(runtime.Version(), "go")[:4], runtime.GOOS, runtime.GOARCH)
	for _, a := range os.Args[1:] {
		fmt.Println("arg:", a)
	}
}
