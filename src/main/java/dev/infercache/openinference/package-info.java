/**
 * The Open Inference Protocol v2 (KServe, Triton, Seldon) over HTTP: server and model
 * metadata, health, and {@code infer}, answered from the same cache and jobs as
 * {@code POST /predict}.
 */
@NullMarked
package dev.infercache.openinference;

import org.jspecify.annotations.NullMarked;
