# javac + jar: the jar's path is the `--file` argument.
FROM eclipse-temurin:21-jdk AS build
WORKDIR /app
COPY src ./src
RUN mkdir -p out \
    && javac -d out $(find src -name '*.java') \
    && jar --create --file app.jar --main-class com.example.Main -C out .
USER 1000

FROM eclipse-temurin:21-jre AS runtime
COPY --from=build /app/app.jar /app/app.jar
WORKDIR /app
USER 1000
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
