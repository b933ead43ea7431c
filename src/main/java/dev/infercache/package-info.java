@NullMarked
package dev.infercache;

import org.jspecify.annotations.NullMarked;
