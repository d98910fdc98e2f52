using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.Engine.Setup;

/// <summary>
/// What happened to one fix: applied, declined (ShouldProcess said no, or -WhatIf), failed with Exchange's error, or
/// not run because a change it needs was not made (<see cref="BlockedBy"/>).
/// </summary>
public sealed class SetupFixOutcome
{
    public SetupFixOutcome(SetupFixAction action, bool applied, OAuthSmtpException? error, string? blockedBy = null)
    {
        Action = action;
        Applied = applied;
        Error = error;
        BlockedBy = blockedBy;
    }

    public SetupFixAction Action { get; }

    public bool Applied { get; }

    public OAuthSmtpException? Error { get; }

    /// <summary>The command line of the change this one needed, which was declined or failed; null when it was asked about.</summary>
    public string? BlockedBy { get; }

    public bool Declined => !Applied && Error is null && BlockedBy is null;
}
