using System;

namespace OAuthSmtp.Emulator;

/// <summary>What a scenario created and where to reach it (Get-EmuTenant). Ids are null where the scenario has none.</summary>
public sealed record ScenarioInfo
{
    public required Scenario Scenario { get; init; }

    public required Guid TenantId { get; init; }

    /// <summary>The tenant's initial domain (contoso-xxxx.onmicrosoft.com).</summary>
    public required string Domain { get; init; }

    /// <summary>The app registration's application (client) id.</summary>
    public Guid? ClientId { get; init; }

    /// <summary>The client secret's value (shown once in the portal; tests use it to sign in).</summary>
    public string? ClientSecret { get; init; }

    /// <summary>The app registration's object id (the wrong id for New-ServicePrincipal).</summary>
    public Guid? AppObjectId { get; init; }

    /// <summary>The enterprise application's object id (the right id for New-ServicePrincipal; the token's oid).</summary>
    public Guid? EnterpriseAppObjectId { get; init; }

    /// <summary>The mailbox the app sends as.</summary>
    public required string Mailbox { get; init; }

    /// <summary>A shared mailbox for Send As tests.</summary>
    public required string SharedMailbox { get; init; }

    /// <summary>The user for delegated flows (device code, authorization code).</summary>
    public required string DelegatedUser { get; init; }

    public required Uri AuthorityHost { get; init; }

    public required string SmtpServer { get; init; }

    public required int SmtpPort { get; init; }

    public required Uri GraphEndpoint { get; init; }

    /// <summary>The administrator's user principal name (Global Administrator unless Set-EmuAdmin changed it).</summary>
    public required string Administrator { get; init; }

    /// <summary>The system-assigned managed identity's service principal object id (Ready and Fresh).</summary>
    public Guid? SystemAssignedIdentityObjectId { get; init; }

    /// <summary>The user-assigned managed identity's client id.</summary>
    public Guid? UserAssignedIdentityClientId { get; init; }

    public Guid? UserAssignedIdentityObjectId { get; init; }

    /// <summary>The user-assigned managed identity's Azure resource id.</summary>
    public string? UserAssignedIdentityResourceId { get; init; }

    /// <summary>The authority MSAL takes: AuthorityHost + tenant id.</summary>
    public Uri Authority => new(AuthorityHost, TenantId.ToString());
}
