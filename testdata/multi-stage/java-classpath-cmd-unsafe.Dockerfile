# The CMD runs classes from a classpath, not `java -jar`.
FROM eclipse-temurin:17-jdk
WORKDIR /app
COPY . .
RUN javac -d out Main.java && jar cf lib.jar -C out .
CMD ["java", "-cp", "lib.jar", "Main"]
