@NullMarked
package dev.infercache.cache;

import org.jspecify.annotations.NullMarked;
