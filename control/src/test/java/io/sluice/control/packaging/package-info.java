/**
 * Tests of what sluice ships besides its jar: the systemd units under {@code packaging/systemd}
 * ({@code systemd-analyze verify}), the Vagrant topology ({@code vagrant validate}), the bash
 * completion script and the man page, each checked by the tool a user would run it with.
 */
package io.sluice.control.packaging;
