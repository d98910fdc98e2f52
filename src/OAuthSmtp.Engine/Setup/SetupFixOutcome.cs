using OAuthSmtp.Engine.Errors;

namespace OAuthSmtp.Engine.Setup;

/// <summary>What happened to one fix: applied, declined (ShouldProcess said no, or -WhatIf), or failed with Exchange's error.</summary>
public sealed class SetupFixOutcome
{
    public SetupFixOutcome(SetupFixAction action, bool applied, OAuthSmtpException? error)
    {
        Action = action;
        Applied = applied;
        Error = error;
    }

    public SetupFixAction Action { get; }

    public bool Applied { get; }

    public OAuthSmtpException? Error { get; }

    public bool Declined => !Applied && Error is null;
}
