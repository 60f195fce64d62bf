# escape=`
from mcr.microsoft.com/windows/servercore:1809
shell ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]
run Invoke-WebRequest -Uri https://example.invalid/app.zip -OutFile C:\app.zip ; `
    Expand-Archive C:\app.zip -DestinationPath C:\app ; `
    Remove-Item C:\app.zip
workdir C:\app
copy config\ C:\app\config\
entrypoint ["C:\\app\\app.exe"]
