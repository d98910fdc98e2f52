using System;

namespace OAuthSmtp.Engine.Setup.Exchange;

/// <summary>One Test-ServicePrincipalAuthorization row (RBAC for Applications, EXCHANGE-FACTS 6.4).</summary>
public sealed class ServicePrincipalAuthorizationRecord
{
    public ServicePrincipalAuthorizationRecord(string roleName, string allowedResourceScope, string scopeType, string inScope)
    {
        RoleName = roleName ?? string.Empty;
        AllowedResourceScope = allowedResourceScope ?? string.Empty;
        ScopeType = scopeType ?? string.Empty;
        InScope = inScope ?? string.Empty;
    }

    /// <summary>"Application SMTP.SendAsApp" for SMTP.</summary>
    public string RoleName { get; }

    /// <summary>The management scope's name, or the organisation.</summary>
    public string AllowedResourceScope { get; }

    public string ScopeType { get; }

    /// <summary>"True", "False" or "Not Run".</summary>
    public string InScope { get; }

    public bool IsSmtpRole => string.Equals(RoleName, SmtpSendAsAppRole, StringComparison.OrdinalIgnoreCase);

    public bool CoversResource => string.Equals(InScope, "True", StringComparison.OrdinalIgnoreCase);

    /// <summary>The only role RBAC for Applications supports for SMTP (RBAC-SMTP-DOC).</summary>
    public const string SmtpSendAsAppRole = "Application SMTP.SendAsApp";
}
