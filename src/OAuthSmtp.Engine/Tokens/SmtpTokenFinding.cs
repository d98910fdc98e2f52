namespace OAuthSmtp.Engine.Tokens;

/// <summary>How much a finding about a token matters for SMTP.</summary>
public enum SmtpTokenFindingSeverity
{
    /// <summary>A fact worth knowing; nothing to do.</summary>
    Information,

    /// <summary>It may work, depending on the tenant's setup (e.g. the App-RBAC route); the text says what to check.</summary>
    Warning,

    /// <summary>Exchange will refuse this token for SMTP AUTH.</summary>
    Error,
}

/// <summary>One thing the assessment found about a token, in an admin's words, with what to do.</summary>
public sealed class SmtpTokenFinding
{
    public SmtpTokenFinding(string code, SmtpTokenFindingSeverity severity, string message, string? fix)
    {
        Code = code;
        Severity = severity;
        Message = message;
        Fix = fix;
    }

    /// <summary>Stable name of the finding (AudienceNotExchange, Expired, SendAsAppMissing, …).</summary>
    public string Code { get; }

    public SmtpTokenFindingSeverity Severity { get; }

    public string Message { get; }

    public string? Fix { get; }

    public override string ToString() => $"{Severity}: {Message}";
}
