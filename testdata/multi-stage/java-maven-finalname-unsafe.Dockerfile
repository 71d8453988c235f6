# pom.xml names a literal finalName: the jar's path is certain.
FROM maven:3.9-eclipse-temurin-17-jammy
WORKDIR /build
COPY pom.xml .
COPY src ./src
RUN mvn -B package -DskipTests
EXPOSE 8080
CMD ["java", "-jar", "/build/target/service.jar"]
