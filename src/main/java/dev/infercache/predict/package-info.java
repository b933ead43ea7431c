@NullMarked
package dev.infercache.predict;

import org.jspecify.annotations.NullMarked;
