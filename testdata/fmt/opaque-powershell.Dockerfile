FROM debian
SHELL ["pwsh", "-Command"]
run   Write-Host   'a' ; \
      Write-Host 'b'   
CMD   Get-Date  
RUN ["pwsh","-c","x"]
