/**
 * Cache warming: refilling a local cache from the job store at start-up, and warm-ups,
 * texts an operator sends to be computed in the background behind the clients' misses.
 */
@NullMarked
package dev.infercache.warm;

import org.jspecify.annotations.NullMarked;
