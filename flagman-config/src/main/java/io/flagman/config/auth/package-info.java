/** Password checks for userlist users: crypt(3) hashes, shared by the data plane and the Data Plane API. */
package io.flagman.config.auth;
