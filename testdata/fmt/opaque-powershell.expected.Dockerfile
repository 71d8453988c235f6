FROM debian
SHELL ["pwsh", "-Command"]
RUN   Write-Host   'a' ; \
      Write-Host 'b'   
CMD   Get-Date  
RUN ["pwsh", "-c", "x"]
