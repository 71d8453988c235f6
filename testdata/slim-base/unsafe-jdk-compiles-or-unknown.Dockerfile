FROM eclipse-temurin:21
COPY . /src
RUN javac /src/Main.java
CMD ["java", "-cp", "/src", "Main"]
FROM eclipse-temurin:17-jdk
COPY app.jar /app.jar
