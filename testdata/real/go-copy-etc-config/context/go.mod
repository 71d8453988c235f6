module example.com/motd-lite

go 1.21
