FROM mcr.microsoft.com/windows/servercore
SHELL ["powershell", "-command"]
RUN Write-Host hi
SHELL ["cmd", "/S", "/C"]
