# Old-style `jar cvfe`, a relative CMD, Java 11 from the openjdk tag.
FROM openjdk:11 AS build
WORKDIR /src
COPY . .
RUN javac -d classes Main.java && jar cvfe hello.jar Main -C classes .

FROM eclipse-temurin:11-jre AS runtime
COPY --from=build /src/hello.jar /src/hello.jar
WORKDIR /src
CMD ["java", "-Xmx256m", "-jar", "hello.jar"]
