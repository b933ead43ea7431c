@NullMarked
package dev.infercache.model;

import org.jspecify.annotations.NullMarked;
