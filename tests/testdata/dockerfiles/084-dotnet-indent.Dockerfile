  FROM mcr.microsoft.com/dotnet/sdk:7.0 AS build

# between instructions
  WORKDIR /source

# between instructions
  COPY *.csproj .

# between instructions
  RUN dotnet restore

# between instructions
  COPY . .

# between instructions
  RUN dotnet publish -c Release -o /app --no-restore

# between instructions
  FROM mcr.microsoft.com/dotnet/aspnet:7.0

# between instructions
  WORKDIR /app

# between instructions
  COPY --from=build /app .

# between instructions
  USER $APP_UID

# between instructions
  ENTRYPOINT ["./aspnetapp"]

# between instructions
