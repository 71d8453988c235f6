from debian:bookworm as build
run echo hi
Copy a b
Env A=1
workdir /app
onbuild run make
From scratch AS final
copy --from=build /app /app
cmd ["/app"]
