# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
CMD app.exe --port 80
