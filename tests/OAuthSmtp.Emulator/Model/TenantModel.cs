using System;
using System.Collections.Generic;

namespace OAuthSmtp.Emulator.Model;

/// <summary>
/// One tenant, shared by the token service, the SMTP server, the admin cmdlets and Graph.
/// Every reader and writer locks <see cref="SyncRoot"/>. Changes made through admin cmdlets stamp
/// EffectiveAt = now + the delay for their <see cref="ChangeKind"/>; SMTP and token decisions honour it.
/// </summary>
public sealed class TenantModel
{
    /// <summary>"Office 365 Exchange Online": the well-known resource app id.</summary>
    public static readonly Guid ExchangeResourceAppId = Guid.Parse("00000002-0000-0ff1-ce00-000000000000");

    /// <summary>Microsoft Graph's resource app id.</summary>
    public static readonly Guid GraphResourceAppId = Guid.Parse("00000003-0000-0000-c000-000000000000");

    public TenantModel(EmulatorClock clock)
    {
        Clock = clock;
    }

    public object SyncRoot { get; } = new();

    public EmulatorClock Clock { get; }

    public Tenant Tenant { get; set; } = new();

    /// <summary>The Exchange resource's service principal in this tenant (its id is the resourceId of consent).</summary>
    public Guid ExchangeResourceServicePrincipalId { get; set; } = Guid.NewGuid();

    /// <summary>Exchange's app roles by value (SMTP.SendAsApp, IMAP.AccessAsApp, …) with their ids.</summary>
    public Dictionary<string, Guid> ExchangeAppRoles { get; } = new(StringComparer.Ordinal);

    /// <summary>Microsoft Graph's service principal in this tenant (resourceId of Graph app-role consent).</summary>
    public Guid GraphResourceServicePrincipalId { get; set; } = Guid.NewGuid();

    /// <summary>Graph's app roles by value (Application.Read.All, Policy.Read.All, …) with their ids.</summary>
    public Dictionary<string, Guid> GraphAppRoles { get; } = new(StringComparer.Ordinal);

    /// <summary>Exchange's delegated scopes by value (SMTP.Send, …) with their ids (oauth2PermissionScopes).</summary>
    public Dictionary<string, Guid> ExchangeDelegatedScopes { get; } = new(StringComparer.Ordinal);

    /// <summary>Graph's delegated scopes by value (User.Read, Application.ReadWrite.All, …) with their ids.</summary>
    public Dictionary<string, Guid> GraphDelegatedScopes { get; } = new(StringComparer.Ordinal);

    /// <summary>The scenario's administrator (Connect-MgGraph signs in as this user); null when there is none.</summary>
    public EntraUser? Administrator { get; set; }

    /// <summary>
    /// Delegated Graph scopes the administrator has consented to for "Microsoft Graph Command Line Tools" (the client of
    /// Connect-MgGraph): every Graph token of that client carries all of them in scp, whatever -Scopes asked for.
    /// </summary>
    public List<string> AdministratorGraphScopes { get; } = new();

    /// <summary>Conditional access policies (Graph identity/conditionalAccess/policies); the token service blocks on enabled ones.</summary>
    public List<ConditionalAccessPolicy> ConditionalAccessPolicies { get; } = new();

    public List<AppRegistration> Applications { get; } = new();
    public List<EntraServicePrincipal> ServicePrincipals { get; } = new();
    public List<AppRoleAssignment> AppRoleAssignments { get; } = new();
    public List<DelegatedGrant> DelegatedGrants { get; } = new();
    public List<EntraUser> Users { get; } = new();

    public List<ExchangeServicePrincipal> ExchangeServicePrincipals { get; } = new();
    public List<Mailbox> Mailboxes { get; } = new();
    public List<MailboxPermission> MailboxPermissions { get; } = new();
    public List<RecipientPermission> RecipientPermissions { get; } = new();
    public TransportConfig TransportConfig { get; set; } = new();
    public List<AuthenticationPolicy> AuthenticationPolicies { get; } = new();
    public string? DefaultAuthenticationPolicy { get; set; }
    public List<ManagementScope> ManagementScopes { get; } = new();
    public List<ManagementRoleAssignment> ManagementRoleAssignments { get; } = new();
    public List<DistributionGroup> Groups { get; } = new();

    /// <summary>Propagation delay per kind of change (default zero).</summary>
    public Dictionary<ChangeKind, TimeSpan> PropagationDelays { get; } = new();

    /// <summary>When a change of this kind made now takes effect.</summary>
    public DateTimeOffset EffectiveFromNow(ChangeKind kind) =>
        Clock.UtcNow + (PropagationDelays.TryGetValue(kind, out var delay) ? delay : TimeSpan.Zero);

    public bool IsEffective(DateTimeOffset effectiveAt) => effectiveAt <= Clock.UtcNow;
}
