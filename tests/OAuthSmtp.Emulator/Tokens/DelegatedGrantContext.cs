using System;
using System.Collections.Generic;

namespace OAuthSmtp.Emulator.Tokens;

/// <summary>A pending device code: who asked, for what, and what the user did.</summary>
internal sealed class DeviceCodeSession
{
    public required string DeviceCode { get; init; }
    public required string UserCode { get; init; }
    public required Guid ClientId { get; init; }
    public required string Scope { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public DeviceCodeState State { get; set; }
    public Guid? UserObjectId { get; set; }
}

internal enum DeviceCodeState
{
    Pending,
    Approved,
    Declined,
}

/// <summary>What a refresh token stands for.</summary>
internal sealed record RefreshGrant(Guid ClientId, Guid UserObjectId, string Scope);

/// <summary>An authorization code waiting to be redeemed.</summary>
internal sealed record AuthorizationCodeGrant(Guid ClientId, Guid UserObjectId, string Scope, string RedirectUri, string? CodeChallenge, string? CodeChallengeMethod, DateTimeOffset ExpiresAt);

/// <summary>A pending device code as tests see it (the user code is what a person would type).</summary>
public sealed record PendingDeviceCode(string UserCode, Guid ClientId, string Scope, DateTimeOffset ExpiresAt);
