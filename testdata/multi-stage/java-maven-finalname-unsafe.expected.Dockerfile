# pom.xml names a literal finalName: the jar's path is certain.
FROM maven:3.9-eclipse-temurin-17-jammy AS build
WORKDIR /build
COPY pom.xml .
COPY src ./src
RUN mvn -B package -DskipTests

FROM eclipse-temurin:17-jre-jammy AS runtime
COPY --from=build /build/target/service.jar /build/target/service.jar
WORKDIR /build
EXPOSE 8080
CMD ["java", "-jar", "/build/target/service.jar"]
