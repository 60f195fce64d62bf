from mcr.microsoft.com/dotnet/sdk:8.0-jammy AS build
workdir /source
copy *.csproj .
run dotnet restore
copy . .
run dotnet publish -c Release -o /app --no-restore
from mcr.microsoft.com/dotnet/aspnet:8.0-jammy
workdir /app
copy --from=build /app .
user $APP_UID
entrypoint ["./aspnetapp"]
