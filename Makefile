# Basalt build. Finds a JDK >= 21 by itself: JAVA_HOME if it is one, else the newest under /usr/lib/jvm.
SHELL := /bin/bash

JDK := $(shell \
  ok() { [ -x "$$1/bin/javac" ] && v=$$("$$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p') && [ "$${v%%.*}" -ge 21 ] 2>/dev/null; }; \
  if [ -n "$$JAVA_HOME" ] && ok "$$JAVA_HOME"; then echo "$$JAVA_HOME"; exit 0; fi; \
  best=; bestv=0; \
  for d in /usr/lib/jvm/*/; do d=$${d%/}; [ -L "$$d" ] && continue; \
    v=$$("$$d/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'); v=$${v%%.*}; \
    [ -x "$$d/bin/javac" ] && [ -n "$$v" ] && [ "$$v" -ge 21 ] 2>/dev/null && [ "$$v" -gt "$$bestv" ] && { best=$$d; bestv=$$v; }; \
  done; echo "$$best")

ifeq ($(JDK),)
$(error No JDK >= 21 found: set JAVA_HOME to one, or install one under /usr/lib/jvm (e.g. apt-get install openjdk-21-jdk-headless))
endif

export JAVA_HOME := $(JDK)
JAVA := $(JDK)/bin/java
MVN := mvn -B -q
JAR := target/basalt.jar
CONF ?= kvrocks.conf
SOURCES := $(shell find src/main -type f 2>/dev/null) pom.xml

.PHONY: all jar run test bench clean jdk

all: jar

jdk:
	@echo "Using JDK at $(JDK)"

$(JAR): $(SOURCES)
	$(MVN) -DskipTests package

jar: $(JAR)

run: $(JAR)
	$(JAVA) -jar $(JAR) -c $(CONF) $(ARGS)

test:
	mvn -B --no-transfer-progress test

bench: $(JAR)
	mvn -B -q -DskipTests test-compile
	JAVA=$(JAVA) bash src/bench/run.sh

clean:
	$(MVN) clean
