namespace OAuthSmtp.Engine.Relay;

/// <summary>A device just added, with the password it was given: the only time the password exists outside the device.</summary>
public sealed class NewRelayClient
{
    public NewRelayClient(RelayClient client, string? password)
    {
        Client = client;
        Password = password;
    }

    public RelayClient Client { get; }

    /// <summary>Null for a device without a credential.</summary>
    public string? Password { get; }
}
