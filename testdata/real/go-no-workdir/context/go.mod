module example.com/wclite

go 1.21
