/**
 * Loss-free edits of a configuration document ({@link io.flagman.config.edit.ConfigEditor}): sections, settings,
 * index-addressed directive families and named children, each touching only the lines concerned. Depends only on
 * {@code io.flagman.config.text}.
 */
package io.flagman.config.edit;
