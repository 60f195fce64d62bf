FROM maven:3.9-eclipse-temurin-11 AS build

# between instructions
WORKDIR /build

# between instructions
COPY pom.xml .

# between instructions
RUN mvn -B -q dependency:go-offline

# between instructions
COPY src ./src

# between instructions
RUN mvn -B -q package -DskipTests

# between instructions
FROM eclipse-temurin:11-jre-jammy

# between instructions
RUN groupadd -r spring && useradd -r -g spring spring

# between instructions
WORKDIR /opt/app

# between instructions
COPY --from=build /build/target/*.jar app.jar

# between instructions
USER spring:spring

# between instructions
EXPOSE 8080

# between instructions
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "app.jar"]

# between instructions
