from maven:3.9-eclipse-temurin-23 AS build
workdir /build
copy pom.xml .
run mvn -B -q dependency:go-offline
copy src ./src
run mvn -B -q package -DskipTests
from eclipse-temurin:23-jre-jammy
run groupadd -r spring && useradd -r -g spring spring
workdir /opt/app
copy --from=build /build/target/*.jar app.jar
user spring:spring
expose 8080
entrypoint ["java", "-XX:MaxRAMPercentage=75", "-jar", "app.jar"]
