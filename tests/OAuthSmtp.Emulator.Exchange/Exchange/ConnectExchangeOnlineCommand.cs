using System;
using System.Linq;
using System.Management.Automation;
using System.Security;
using System.Security.Cryptography.X509Certificates;
using OAuthSmtp.Emulator.PowerShell.Exchange.Output;

namespace OAuthSmtp.Emulator.PowerShell.Exchange;

/// <summary>
/// Connect-ExchangeOnline with the real parameter set (PS-DOCS). Connecting marks this PowerShell session as connected
/// to the emulator's tenant; no browser, no token request. Secrets given (AccessToken, CertificatePassword,
/// Credential) are never echoed or stored.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "ExchangeOnline")]
public sealed class ConnectExchangeOnlineCommand : ExchangeCmdlet
{
    #region Parameters

    [Parameter(Position = 0)]
    public string? ConnectionUri { get; set; }

    [Parameter(Position = 1)]
    public string? AzureADAuthorizationEndpointUri { get; set; }

    [Parameter(Position = 2)]
    [ValidateSet("O365Default", "O365GermanyCloud", "O365China", "O365USGovGCCHigh", "O365USGovDoD", IgnoreCase = true)]
    public string ExchangeEnvironmentName { get; set; } = "O365Default";

    [Parameter(Position = 3)]
    public object? PSSessionOption { get; set; }

    [Parameter(Position = 4)]
    public string? DelegatedOrganization { get; set; }

    [Parameter(Position = 5)]
    public string? Prefix { get; set; }

    [Parameter(Position = 6)]
    public string[]? CommandName { get; set; }

    [Parameter(Position = 7)]
    public string[]? FormatTypeName { get; set; }

    [Parameter]
    public string? AccessToken { get; set; }

    [Parameter]
    public string? AppId { get; set; }

    [Parameter]
    public SwitchParameter BypassMailboxAnchoring { get; set; }

    [Parameter]
    public X509Certificate2? Certificate { get; set; }

    [Parameter]
    public string? CertificateFilePath { get; set; }

    [Parameter]
    public SecureString? CertificatePassword { get; set; }

    [Parameter]
    public string? CertificateThumbprint { get; set; }

    [Parameter]
    public PSCredential? Credential { get; set; }

    [Parameter]
    public SwitchParameter Device { get; set; }

    [Parameter]
    public SwitchParameter DisableWAM { get; set; }

    [Parameter]
    public SwitchParameter EnableErrorReporting { get; set; }

    [Parameter]
    public SwitchParameter InlineCredential { get; set; }

    [Parameter]
    public SwitchParameter LoadCmdletHelp { get; set; }

    [Parameter]
    public string? LogDirectoryPath { get; set; }

    [Parameter]
    public SwitchParameter ManagedIdentity { get; set; }

    [Parameter]
    public string? ManagedIdentityAccountId { get; set; }

    [Parameter]
    public string? Organization { get; set; }

    [Parameter]
    [ValidateRange(1, 1000)]
    public uint PageSize { get; set; } = 1000;

    [Parameter]
    public SwitchParameter ShowBanner { get; set; } = true;

    [Parameter]
    public bool ShowProgress { get; set; } = true;

    [Parameter]
    public SwitchParameter SkipLoadingCmdletHelp { get; set; }

    [Parameter]
    public SwitchParameter SkipLoadingFormatData { get; set; }

    [Parameter]
    public bool TrackPerformance { get; set; }

    [Parameter]
    public bool UseMultithreading { get; set; } = true;

    [Parameter]
    public string? UserPrincipalName { get; set; }

    #endregion

    protected override bool RequiresConnection => false;

    protected override void EndProcessing()
    {
        var certificateGiven = Certificate is not null || !string.IsNullOrEmpty(CertificateFilePath) || !string.IsNullOrEmpty(CertificateThumbprint);
        if (new[] { Certificate is not null, !string.IsNullOrEmpty(CertificateFilePath), !string.IsNullOrEmpty(CertificateThumbprint) }.Count(x => x) > 1)
        {
            ThrowTerminatingError(ExchangeErrors.InvalidArgument(
                "CertificateParametersConflict",
                "Use only one of the Certificate, CertificateFilePath or CertificateThumbprint parameters.",
                null));
        }

        var appOnly = certificateGiven || ManagedIdentity.IsPresent;
        if (appOnly && string.IsNullOrEmpty(Organization))
        {
            ThrowTerminatingError(ExchangeErrors.InvalidArgument(
                "OrganizationRequired",
                "The Organization parameter is required for certificate-based and managed identity connections. Use the tenant's initial domain, for example contoso.onmicrosoft.com.",
                null));
        }

        if (certificateGiven && string.IsNullOrEmpty(AppId))
        {
            ThrowTerminatingError(ExchangeErrors.InvalidArgument(
                "AppIdRequired",
                "The AppId parameter is required for certificate-based authentication.",
                null));
        }

        string initialDomain;
        Guid tenantId;
        lock (Tenant.SyncRoot)
        {
            initialDomain = Tenant.Tenant.InitialDomain;
            tenantId = Tenant.Tenant.TenantId;
            var organization = Organization ?? DelegatedOrganization;
            if (!string.IsNullOrEmpty(organization) && !IsThisTenant(organization!))
            {
                // What MSAL reports for an unknown tenant (EXCHANGE-FACTS 5b, AADSTS90002).
                ThrowTerminatingError(new ErrorRecord(
                    new InvalidOperationException(
                        $"AADSTS90002: Tenant '{organization}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant."),
                    "TenantNotFound",
                    ErrorCategory.AuthenticationError,
                    organization));
            }

            if (!string.IsNullOrEmpty(AppId) && !Tenant.Applications.Any(a => string.Equals(a.AppId.ToString(), AppId!.Trim(), StringComparison.OrdinalIgnoreCase))
                && !Tenant.ServicePrincipals.Any(sp => string.Equals(sp.AppId.ToString(), AppId!.Trim(), StringComparison.OrdinalIgnoreCase)))
            {
                ThrowTerminatingError(new ErrorRecord(
                    new InvalidOperationException(
                        $"AADSTS700016: Application with identifier '{AppId}' was not found in the directory '{initialDomain}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant."),
                    "ApplicationNotFound",
                    ErrorCategory.AuthenticationError,
                    AppId));
            }
        }

        var user = appOnly ? null : UserPrincipalName ?? Credential?.UserName ?? "admin@" + initialDomain;
        var connection = ExchangeConnections.Add(CurrentRunspace, id => new ConnectionInformation
        {
            Id = id,
            Name = "ExchangeOnline_" + id,
            UserPrincipalName = user,
            TokenExpiryTimeUTC = Now.AddHours(1),
            CertificateAuthentication = certificateGiven,
            ModuleName = "tmpEXO_emulator_" + id,
            ModulePrefix = Prefix ?? "",
            Organization = appOnly || !string.IsNullOrEmpty(AccessToken) ? Organization : null,
            DelegatedOrganization = DelegatedOrganization,
            AppId = AppId,
            PageSize = PageSize,
            TenantID = tenantId,
        });

        if (ShowBanner.IsPresent)
        {
            WriteInformation(
                new InformationRecord(
                    $"Connected to the Exchange Online emulator ({initialDomain}) as {(appOnly ? "application " + AppId : user)}. Disconnect with Disconnect-ExchangeOnline.",
                    "Connect-ExchangeOnline")
                { Tags = { "PSHOST" } });
        }

        WriteVerbose($"Connection {connection.Name} established for tenant {tenantId}.");
    }

    private bool IsThisTenant(string organization)
    {
        var value = organization.Trim();
        var tenant = Tenant.Tenant;
        return string.Equals(value, tenant.InitialDomain, StringComparison.OrdinalIgnoreCase)
            || tenant.VerifiedDomains.Any(d => string.Equals(d, value, StringComparison.OrdinalIgnoreCase))
            || (Guid.TryParse(value, out var id) && id == tenant.TenantId);
    }
}
