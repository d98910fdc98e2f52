using System;

namespace OAuthSmtp.Engine.Tokens;

/// <summary>A bearer token and when it stops being usable. ToString never shows the token.</summary>
public sealed class AccessToken
{
    public AccessToken(string value, DateTimeOffset expiresOn)
    {
        Value = value;
        ExpiresOn = expiresOn;
    }

    /// <summary>The raw token: only for the wire (XOAUTH2) and for -AsPlainText/-AsSecureString.</summary>
    public string Value { get; }

    public DateTimeOffset ExpiresOn { get; }

    public override string ToString() => $"Access token (expires {ExpiresOn:u})";
}
