# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
COPY testfile.txt C:\
RUN dir C:\
WORKDIR C:\Users\app
RUN powershell -Command `
    Write-Host "hello" ; `
    Write-Host "C:\path\to\thing"
ENV PATH="C:\Go\bin;C:\Windows"
