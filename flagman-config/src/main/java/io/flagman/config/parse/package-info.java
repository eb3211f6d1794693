/**
 * HAProxy's configuration language, from words to the model and back: {@link io.flagman.config.parse.ConfigParser}
 * (document → {@link io.flagman.config.model.Config}, with every problem as a diagnostic),
 * {@link io.flagman.config.parse.DirectiveWriter} (model → canonical words for new lines) and
 * {@link io.flagman.config.parse.PredefinedAcls}. One package-private class per keyword family parses, writes and
 * documents its keyword; {@code KeywordTables} lists them per section.
 *
 * <p>Depends only on {@code io.flagman.config.model} and {@code io.flagman.config.text}; no network code.
 */
package io.flagman.config.parse;
