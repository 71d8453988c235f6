# The CMD runs another jar than the one the build wrote.
FROM eclipse-temurin:17-jdk
WORKDIR /app
COPY . .
RUN javac -d out Main.java && jar cfe build.jar Main -C out .
CMD ["java", "-jar", "app.jar"]
