/**
 * The model's offline commands: training the sentiment head, evaluating the model and
 * measuring it. They read labelled data from paths given on the command line (never
 * shipped with the project) and are run with {@code exec:java} under the {@code tools}
 * Maven profile, which is the only build that compiles them; see {@code docs/TOOLS.md}
 * and {@code docs/MODEL.md}.
 */
@NullMarked
package dev.infercache.model.training;

import org.jspecify.annotations.NullMarked;
