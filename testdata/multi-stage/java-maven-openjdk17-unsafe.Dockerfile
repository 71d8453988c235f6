# Java 17 builder: the runtime is a Java 17 JRE. No pom.xml in the
# context: the jar's name is unknown, so this is advice.
FROM maven:3.8-openjdk-17
WORKDIR /usr/src/app
COPY . .
RUN mvn -B package -DskipTests
CMD ["java", "-jar", "target/demo-0.0.1-SNAPSHOT.jar"]
