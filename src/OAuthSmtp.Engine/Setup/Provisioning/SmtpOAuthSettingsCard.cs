using System;
using System.Collections.Generic;
using System.Security;

namespace OAuthSmtp.Engine.Setup.Provisioning;

/// <summary>
/// What Initialize-SmtpOAuthSetup returns: every value a product's OAuth mail settings ask for, ready to type in
/// (tenant, client id, the enterprise application's object id, the credential, server, port, encryption, user name,
/// token endpoint, scope), plus the profile that holds it and what the run changed.
/// </summary>
public sealed class SmtpOAuthSettingsCard
{
    public string ProfileName { get; set; } = string.Empty;

    public string TenantId { get; set; } = string.Empty;

    public string ClientId { get; set; } = string.Empty;

    /// <summary>The enterprise application's (service principal's) object id: the one New-ServicePrincipal takes.</summary>
    public string EnterpriseAppObjectId { get; set; } = string.Empty;

    /// <summary>ClientSecret, Certificate, ManagedIdentity or Delegated.</summary>
    public string CredentialKind { get; set; } = string.Empty;

    public string? CertificateThumbprint { get; set; }

    /// <summary>The client secret's id (keyId): NOT its value, which products ask for.</summary>
    public string? SecretId { get; set; }

    /// <summary>The .pfx holding the certificate's private key (where there is no user certificate store).</summary>
    public string? CertificatePath { get; set; }

    public DateTimeOffset? CredentialEndDate { get; set; }

    /// <summary>The client secret's value: only with -IncludeSecret, and only on the run that created it.</summary>
    public SecureString? ClientSecret { get; set; }

    public string SmtpServer { get; set; } = string.Empty;

    public int Port { get; set; }

    public string Encryption { get; set; } = "STARTTLS";

    /// <summary>The SMTP user name (the XOAUTH2 user=): the sending mailbox.</summary>
    public string UserName { get; set; } = string.Empty;

    public string TokenEndpoint { get; set; } = string.Empty;

    public string Scope { get; set; } = string.Empty;

    /// <summary>Classic (SMTP.SendAsApp + FullAccess), Rbac (RBAC for Applications) or Delegated.</summary>
    public string Route { get; set; } = string.Empty;

    /// <summary>How many steps changed something (0 on a second run).</summary>
    public int Changes { get; set; }

    public IReadOnlyList<ProvisioningStepResult> Steps { get; set; } = Array.Empty<ProvisioningStepResult>();

    /// <summary>The test message's final reply, when one was sent and accepted.</summary>
    public string? TestMessage { get; set; }

    public override string ToString() => $"{ProfileName}: {ClientId} in {TenantId} as {UserName}";
}
