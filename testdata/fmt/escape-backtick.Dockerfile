# escape=`
from mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell","-Command"]
run   Write-Host   'a' ; `
      Write-Host 'b'   
copy  a  `
  b
WORKDIR C:\app
