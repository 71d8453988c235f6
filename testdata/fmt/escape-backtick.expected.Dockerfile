# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell","-Command"]
RUN   Write-Host   'a' ; `
      Write-Host 'b'   
COPY a `
    b
WORKDIR C:\app
