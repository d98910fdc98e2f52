using System;
using System.Collections.Generic;
using OAuthSmtp.Engine.Profiles;

namespace OAuthSmtp.Engine.Setup.Provisioning;

/// <summary>What Initialize-SmtpOAuthSetup was asked to set up.</summary>
public sealed class ProvisioningRequest
{
    /// <summary>The app registration's display name: found by it, or created with it.</summary>
    public string DisplayName { get; set; } = "OAuthSmtp";

    /// <summary>An existing app registration to use instead of finding one by name.</summary>
    public Guid? ClientId { get; set; }

    /// <summary>The sending mailbox (the XOAUTH2 user name).</summary>
    public string Mailbox { get; set; } = string.Empty;

    /// <summary>Other addresses the product will send as; the mailbox gets Send As on each.</summary>
    public IReadOnlyList<string> From { get; set; } = Array.Empty<string>();

    public ProvisioningCredentialType CredentialType { get; set; } = ProvisioningCredentialType.Secret;

    public SmtpAccessRoute Route { get; set; } = SmtpAccessRoute.Classic;

    /// <summary>A delegated app (SMTP.Send + offline_access, web redirect URIs) for products that sign each mailbox in.</summary>
    public bool Delegated { get; set; }

    /// <summary>Web redirect URIs of a delegated app.</summary>
    public IReadOnlyList<string> RedirectUris { get; set; } = Array.Empty<string>();

    /// <summary>How long a new secret or certificate is valid.</summary>
    public TimeSpan CredentialLifetime { get; set; } = TimeSpan.FromDays(365);

    /// <summary>ManagedIdentity: the identity's client (app) id or its object id.</summary>
    public string? ManagedIdentityId { get; set; }

    /// <summary>The connection profile to save (and to find on a second run).</summary>
    public string ProfileName { get; set; } = string.Empty;

    public CloudName Cloud { get; set; } = CloudName.Global;

    /// <summary>The tenant (GUID or domain); null: the admin's Graph session's tenant.</summary>
    public string? TenantId { get; set; }

    /// <summary>A .pfx password or secret may be kept in an owner-only file where DPAPI is not available.</summary>
    public bool AllowUnprotectedSecret { get; set; }

    /// <summary>Where a certificate's .pfx goes where there is no user certificate store to use (null: the profile store's certificates folder).</summary>
    public string? CertificateDirectory { get; set; }

    /// <summary>Profile overrides (a test tenant, a relay): passed to the profile as New-SmtpOAuthProfile would.</summary>
    public string? SmtpServer { get; set; }

    public int? Port { get; set; }

    public Uri? AuthorityHost { get; set; }

    public bool AllowNonMicrosoftHost { get; set; }

    /// <summary>Keep the certificate's private key in the CurrentUser store (Windows) rather than a .pfx file.</summary>
    public bool UseCertificateStore { get; set; } = System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows);

    public bool IsManagedIdentity => CredentialType == ProvisioningCredentialType.ManagedIdentity;
}
