using System;

namespace OAuthSmtp.Relay.Configuration;

/// <summary>The relay's configuration cannot be used; the message names the file and the field.</summary>
internal sealed class RelayConfigurationException : Exception
{
    public RelayConfigurationException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
