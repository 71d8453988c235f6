FROM eclipse-temurin:17-jdk
WORKDIR /app
COPY . .
RUN ./mvnw -q package
CMD ["java", "-jar", "target/app.jar"]
FROM openjdk:17-jdk
COPY . /src
RUN gradle build
CMD ["java", "-jar", "/src/build/libs/app.jar"]
FROM eclipse-temurin:17-jre-jammy
COPY app.jar /app.jar
CMD ["java", "-jar", "/app.jar"]
