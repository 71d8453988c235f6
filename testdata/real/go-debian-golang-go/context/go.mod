module uptime-lite

go 1.19
