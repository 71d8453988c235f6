FROM gradle:8-jdk21
WORKDIR /home/gradle/src
COPY . .
RUN gradle build --no-daemon
CMD ["java", "-jar", "build/libs/app.jar"]
