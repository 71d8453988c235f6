module example.com/greet-files

go 1.21
