FROM eclipse-temurin:21
COPY app.jar /app.jar
CMD ["java", "-jar", "/app.jar"]
