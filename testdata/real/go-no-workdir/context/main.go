package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "--help" {
		fmt.Println("usage: wc-lite WORD...  (counts letters and words)")
		return
	}
	words, letters := 0, 0
	for _, a := range os.Args[1:] {
		s := bufio.NewScanner(strings.NewReader(a))
		s.Split(bufio.ScanWords)
		for s.Scan() {
			words++
			letters += len(s.Text())
		}
	}
	fmt.Printf("%d words, %d letters\n", words, letters)
}
