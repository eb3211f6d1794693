/** Read-only statistics views of the data plane's live state. */
package io.flagman.proxy.stats;
