using OAuthSmtp.Relay.Configuration;

namespace OAuthSmtp.Relay;

/// <summary>What the relay was started with: its configuration file and the settings read from it at start.</summary>
internal sealed class RelayOptions
{
    public required string ConfigurationPath { get; init; }

    public required RelaySettings Settings { get; init; }
}
