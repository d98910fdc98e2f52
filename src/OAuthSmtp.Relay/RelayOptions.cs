namespace OAuthSmtp.Relay;

/// <summary>The command line's choices: which configuration file the relay runs with.</summary>
internal sealed class RelayOptions
{
    public required string ConfigurationPath { get; init; }
}
