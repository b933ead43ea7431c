/**
 * Cross-cutting configuration: time, the executor, start-up checks, and the log context
 * that follows a request's work to other threads.
 */
@NullMarked
package dev.infercache.system;

import org.jspecify.annotations.NullMarked;
