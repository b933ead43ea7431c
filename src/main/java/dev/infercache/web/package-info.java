@NullMarked
package dev.infercache.web;

import org.jspecify.annotations.NullMarked;
