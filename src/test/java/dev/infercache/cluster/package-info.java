/**
 * Tests against a real PostgreSQL and Redis, run by {@code ./mvnw verify -Pcluster}.
 */
@NullMarked
package dev.infercache.cluster;

import org.jspecify.annotations.NullMarked;
