@NullMarked
package dev.infercache.job;

import org.jspecify.annotations.NullMarked;
