using System;
using System.Collections.Generic;

namespace OAuthSmtp.Engine.Relay;

/// <summary>A device as Get-SmtpOAuthRelayClient shows it: its rules and how it logs in, never its verifier.</summary>
public sealed class RelayClientInfo
{
    public string Name { get; private set; } = string.Empty;

    public string? UserName { get; private set; }

    /// <summary>Password (AUTH with the generated credential) or SourceAddress (no AUTH, known by its address).</summary>
    public string Authentication { get; private set; } = string.Empty;

    public DateTimeOffset? CredentialCreatedOn { get; private set; }

    public IReadOnlyList<string> AllowedSources { get; private set; } = Array.Empty<string>();

    public IReadOnlyList<string> AllowedSenders { get; private set; } = Array.Empty<string>();

    public IReadOnlyList<string> AllowedRecipientDomains { get; private set; } = Array.Empty<string>();

    public string? Profile { get; private set; }

    public string? Mailbox { get; private set; }

    public bool RewriteFrom { get; private set; }

    public long? MaxMessageBytes { get; private set; }

    public DateTimeOffset CreatedOn { get; private set; }

    /// <summary>The relay home the device belongs to (binds -Path by property name).</summary>
    public string Path { get; private set; } = string.Empty;

    public static RelayClientInfo From(RelayClient client, string home)
    {
        if (client is null)
        {
            throw new ArgumentNullException(nameof(client));
        }

        return new RelayClientInfo
        {
            Name = client.Name ?? string.Empty,
            UserName = client.Credential is null ? null : client.UserName,
            Authentication = client.Credential is null ? "SourceAddress" : "Password",
            CredentialCreatedOn = client.Credential?.CreatedOn,
            AllowedSources = client.AllowedSources,
            AllowedSenders = client.AllowedSenders,
            AllowedRecipientDomains = client.AllowedRecipientDomains,
            Profile = client.Profile,
            Mailbox = client.Mailbox,
            RewriteFrom = client.RewriteFrom,
            MaxMessageBytes = client.MaxMessageBytes,
            CreatedOn = client.CreatedOn,
            Path = home,
        };
    }
}
