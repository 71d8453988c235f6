# Old-style `jar cvfe`, a relative CMD, Java 11 from the openjdk tag.
FROM openjdk:11
WORKDIR /src
COPY . .
RUN javac -d classes Main.java && jar cvfe hello.jar Main -C classes .
CMD ["java", "-Xmx256m", "-jar", "hello.jar"]
