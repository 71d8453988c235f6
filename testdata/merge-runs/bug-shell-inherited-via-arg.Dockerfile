ARG BASE=pwsh-base
FROM mcr.microsoft.com/powershell AS pwsh-base
SHELL ["pwsh", "-Command"]
FROM ${BASE}
RUN Write-Host a
RUN Get-ChildItem | Remove-Item
