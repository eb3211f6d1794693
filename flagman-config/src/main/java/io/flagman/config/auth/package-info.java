/**
 * Basic authentication for userlist users, shared by the data plane and the Data Plane API: the one
 * {@code Authorization: Basic} parser ({@link io.flagman.config.auth.BasicCredentials}, with its length cap),
 * crypt(3) password checks ({@link io.flagman.config.auth.Crypt}) and the bounded cache of verified credentials
 * ({@link io.flagman.config.auth.CredentialCache}).
 */
package io.flagman.config.auth;
