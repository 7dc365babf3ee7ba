# Sourced by ./cnn4j, ./test.sh and .ci/run: sets JAVA_HOME to a JDK 25 or newer, or explains what to install.
# Order: $JAVA_HOME if it is 25+, then the newest 25+ JDK under /usr/lib/jvm, then java on the PATH.

cnn4j_java_feature() { # prints the feature version (17, 25, ...) of the java at $1/bin/java
    "$1/bin/java" -XshowSettings:properties -version 2>&1 \
        | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p'
}

cnn4j_select_jdk() {
    local candidate version
    local -a candidates=()
    [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
    for candidate in $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
        candidates+=("${candidate%/}")
    done
    if command -v java >/dev/null 2>&1; then
        candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
    fi
    for candidate in "${candidates[@]}"; do
        [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
        version=$(cnn4j_java_feature "$candidate")
        if [ -n "$version" ] && [ "$version" -ge 25 ]; then
            export JAVA_HOME="$candidate"
            return 0
        fi
    done
    echo "cnn4j: needs a JDK 25 or newer (for the Vector API); none found in JAVA_HOME or /usr/lib/jvm." >&2
    echo "       Install one, e.g. 'apt-get install temurin-25-jdk' or 'openjdk-25-jdk', or set JAVA_HOME." >&2
    return 1
}
