FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS base
SHELL ["powershell", "-Command"]
RUN Write-Host base

FROM base
RUN Write-Host one
RUN Write-Host two
