using System;

namespace OAuthSmtp.Engine.Relay;

/// <summary>What reading one relay profile's client-secret end date found.</summary>
public sealed class RelayCredentialEndDate
{
    public RelayCredentialEndDate(string profile, DateTimeOffset? endsOn, bool expiresSoon, string message)
    {
        Profile = profile;
        EndsOn = endsOn;
        ExpiresSoon = expiresSoon;
        Message = message;
    }

    public string Profile { get; }

    /// <summary>The recorded end date; null when it could not be told.</summary>
    public DateTimeOffset? EndsOn { get; }

    /// <summary>Expired, or expires within the doctor's warning period (30 days).</summary>
    public bool ExpiresSoon { get; }

    public string Message { get; }
}
