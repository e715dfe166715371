package io.sluice.forwarder.conductor;

/**
 * The BGP settings of a running forwarder, as the conductor hands them to and from the control
 * file's clients ({@code sluice export}, {@code sluice apply} with a {@code bgp:} section); called
 * on the conductor's thread. The text is {@link io.sluice.forwarder.bgp.BgpSettingsText}'s.
 */
public interface BgpSettings
{
    /** @return the settings in force. */
    String text();

    /**
     * Puts new settings in force, or changes nothing.
     *
     * @return a line for the client saying what changed.
     * @throws io.sluice.forwarder.config.ConfigException naming why the settings were refused.
     */
    String apply(String text);
}
