# syntax=docker/dockerfile:1
# Build with the Maven wrapper, run on a JRE as a non-root user in the prod profile.
#   docker build -t infercache .
#   docker run -p 8080:8080 -e INFERCACHE_ADMIN_TOKEN=change-me -v infercache-data:/data infercache

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY src/ src/
RUN ./mvnw -B -q -DskipTests package && cp target/infercache-*.jar /infercache.jar

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 infercache \
	&& useradd --system --uid 10001 --gid infercache --home-dir /app --shell /usr/sbin/nologin infercache \
	&& mkdir -p /app/.djl.ai /data \
	&& chown -R infercache:infercache /app /data
WORKDIR /app
COPY --from=build --chown=infercache:infercache /infercache.jar /app/infercache.jar
USER 10001:10001
# prod: refuses to start without INFERCACHE_ADMIN_TOKEN; jobs in the H2 file under /data.
# DJL's tokenizer unpacks its native library into DJL_CACHE_DIR, which must be writable.
ENV SPRING_PROFILES_ACTIVE=prod \
	DJL_CACHE_DIR=/app/.djl.ai \
	OPT_OUT_TRACKING=true \
	JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
VOLUME /data
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/infercache.jar"]
