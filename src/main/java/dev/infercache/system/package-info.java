/**
 * Cross-cutting configuration: time, the executor, start-up checks.
 */
@NullMarked
package dev.infercache.system;

import org.jspecify.annotations.NullMarked;
