# escape=`
  FROM mcr.microsoft.com/windows/servercore:20H2

# between instructions
  SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]

# between instructions
  RUN Invoke-WebRequest -Uri https://example.invalid/app.zip -OutFile C:\app.zip ; `
    Expand-Archive C:\app.zip -DestinationPath C:\app ; `
    Remove-Item C:\app.zip

# between instructions
  WORKDIR C:\app

# between instructions
  COPY config\ C:\app\config\

# between instructions
  ENTRYPOINT ["C:\\app\\app.exe"]

# between instructions
