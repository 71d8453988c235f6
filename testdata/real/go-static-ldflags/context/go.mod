module example.com/jsonfmt

go 1.21
