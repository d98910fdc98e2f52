using System;
using System.Security.Cryptography;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator.Scenarios;

/// <summary>
/// Builds the tenant for a <see cref="Scenario"/> from scratch. Ids are fresh random GUIDs each time (so a test cannot
/// lean on a constant); names are fixed and readable. The model conventions of <see cref="TenantQueries"/> are followed
/// (MailboxIdentity = PrimarySmtpAddress, trustee = the service principal's ObjectId).
/// </summary>
internal static class ScenarioBuilder
{
    public const string Domain = "contoso.com";
    public const string InitialDomain = "contoso.onmicrosoft.com";
    public const string AppDisplayName = "OAuthSmtp Mailer";
    public const string MailboxAddress = "alerts@contoso.com";
    public const string SharedMailboxAddress = "sales@contoso.com";
    public const string DelegatedUserAddress = "adele.vance@contoso.com";
    public const string UserAssignedIdentityName = "id-oauthsmtp-mailer";

    /// <summary>The Exchange resource's app roles (values from EXCHANGE-FACTS §1; the GUIDs are not confirmed, so random).</summary>
    private static readonly string[] ExchangeRoleValues = { "SMTP.SendAsApp", "IMAP.AccessAsApp", "POP.AccessAsApp", "full_access_as_app", "Exchange.ManageAsApp", "Mail.Send" };

    private static readonly string[] GraphRoleValues =
    {
        "Application.Read.All", "Policy.Read.All", "Mail.Send", "User.Read.All", "Application.ReadWrite.All", "Application.ReadWrite.OwnedBy",
        "AppRoleAssignment.ReadWrite.All", "DelegatedPermissionGrant.ReadWrite.All", "Directory.Read.All", "RoleManagement.Read.Directory",
    };

    /// <summary>Exchange's delegated scopes (oauth2PermissionScopes values; ids random: unconfirmed).</summary>
    private static readonly string[] ExchangeScopeValues = { "SMTP.Send", "IMAP.AccessAsUser.All", "POP.AccessAsUser.All", "EWS.AccessAsUser.All" };

    /// <summary>Graph's delegated scopes an admin session uses (ids random, except none are relied on).</summary>
    private static readonly string[] GraphScopeValues =
    {
        "User.Read", "openid", "profile", "offline_access", "email", "Mail.Send", "Application.Read.All", "Application.ReadWrite.All",
        "AppRoleAssignment.ReadWrite.All", "DelegatedPermissionGrant.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All",
        "Directory.AccessAsUser.All", "Policy.Read.All", "RoleManagement.Read.Directory", "User.Read.All",
    };

    /// <summary>The scenario administrator's sign-in name (Connect-MgGraph, Connect-ExchangeOnline -UserPrincipalName).</summary>
    public const string AdministratorAddress = "admin@contoso.com";

    public static ScenarioInfo Build(ExchangeOnlineEmulator emulator, Scenario scenario)
    {
        var model = emulator.Tenant;
        var now = emulator.Clock.UtcNow;
        lock (model.SyncRoot)
        {
            Clear(model);
            model.Tenant = new Tenant
            {
                TenantId = Guid.NewGuid(),
                InitialDomain = InitialDomain,
                DisplayName = "Contoso",
                Cloud = "Global",
            };
            model.Tenant.VerifiedDomains.Add(InitialDomain);
            model.Tenant.VerifiedDomains.Add(Domain);

            AddResources(model);
            var mailbox = AddMailboxUser(model, "alerts", "Alerts", MailboxAddress, "UserMailbox", now);
            AddMailboxUser(model, "sales", "Sales", SharedMailboxAddress, "SharedMailbox", now);
            var delegatedUser = AddMailboxUser(model, "adele.vance", "Adele Vance", DelegatedUserAddress, "UserMailbox", now);
            model.Administrator = AddAdministrator(model);
            model.AuthenticationPolicies.Clear();

            // Tenants created after January 2020 have SMTP AUTH off for the organisation (EXCHANGE-FACTS §6.3).
            model.TransportConfig = new TransportConfig { SmtpClientAuthenticationDisabled = true, EffectiveAt = now };

            AppRegistration? app = null;
            EntraServicePrincipal? enterpriseApp = null;
            string? secretValue = null;
            EntraServicePrincipal? systemIdentity = null;
            EntraServicePrincipal? userIdentity = null;
            if (scenario is Scenario.Ready or Scenario.Fresh)
            {
                (app, enterpriseApp, secretValue) = AddMailerApp(model, now);
                Consent(model, enterpriseApp, model.ExchangeResourceServicePrincipalId, model.ExchangeAppRoles, "SMTP.SendAsApp", now);
                Consent(model, enterpriseApp, model.GraphResourceServicePrincipalId, model.GraphAppRoles, "Application.Read.All", now);
                Consent(model, enterpriseApp, model.GraphResourceServicePrincipalId, model.GraphAppRoles, "Policy.Read.All", now);
                model.DelegatedGrants.Add(new DelegatedGrant { ClientId = enterpriseApp.ObjectId, ResourceId = model.ExchangeResourceServicePrincipalId, Scope = "SMTP.Send offline_access openid profile" });

                systemIdentity = AddManagedIdentity(model, "app-oauthsmtp-web", systemAssigned: true, resourceId: null);
                userIdentity = AddManagedIdentity(model, UserAssignedIdentityName, systemAssigned: false,
                    resourceId: $"/subscriptions/{Guid.NewGuid()}/resourceGroups/rg-mail/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{UserAssignedIdentityName}");
                // Granted long ago: past the managed-identity token cache (ChangeKind.ManagedIdentityRoles), so their tokens carry the role.
                var longAgo = now - TimeSpan.FromDays(2);
                Consent(model, systemIdentity, model.ExchangeResourceServicePrincipalId, model.ExchangeAppRoles, "SMTP.SendAsApp", longAgo);
                Consent(model, userIdentity, model.ExchangeResourceServicePrincipalId, model.ExchangeAppRoles, "SMTP.SendAsApp", longAgo);
            }

            if (scenario == Scenario.Ready)
            {
                model.ExchangeServicePrincipals.Add(new ExchangeServicePrincipal
                {
                    AppId = app!.AppId.ToString(),
                    ObjectId = enterpriseApp!.ObjectId.ToString(),
                    DisplayName = AppDisplayName,
                    EffectiveAt = now,
                });
                var permission = new MailboxPermission
                {
                    MailboxIdentity = mailbox.PrimarySmtpAddress,
                    User = enterpriseApp.ObjectId.ToString(),
                    EffectiveAt = now,
                };
                permission.AccessRights.Add("FullAccess");
                model.MailboxPermissions.Add(permission);
                mailbox.SmtpClientAuthenticationDisabled = false;
                mailbox.PreviousSmtpClientAuthenticationDisabled = false;
                mailbox.SmtpSettingEffectiveAt = now;
                // The delegated user sends as herself: SMTP AUTH on for her mailbox too.
                delegatedUser.SmtpClientAuthenticationDisabled = false;
                delegatedUser.PreviousSmtpClientAuthenticationDisabled = false;
                delegatedUser.SmtpSettingEffectiveAt = now;
            }

            return new ScenarioInfo
            {
                Scenario = scenario,
                TenantId = model.Tenant.TenantId,
                Domain = Domain,
                ClientId = app?.AppId,
                ClientSecret = secretValue,
                AppObjectId = app?.ObjectId,
                EnterpriseAppObjectId = enterpriseApp?.ObjectId,
                Mailbox = MailboxAddress,
                SharedMailbox = SharedMailboxAddress,
                DelegatedUser = DelegatedUserAddress,
                AuthorityHost = emulator.AuthorityHost,
                SmtpServer = emulator.SmtpHost,
                SmtpPort = emulator.SmtpPort,
                GraphEndpoint = emulator.GraphEndpoint,
                Administrator = AdministratorAddress,
                SystemAssignedIdentityObjectId = systemIdentity?.ObjectId,
                UserAssignedIdentityClientId = userIdentity?.AppId,
                UserAssignedIdentityObjectId = userIdentity?.ObjectId,
                UserAssignedIdentityResourceId = userIdentity?.ManagedIdentityResourceId,
            };
        }
    }

    /// <summary>A client secret value of the shape Entra shows: 3 characters, a digit, "Q~", then 34 characters (40 in all).</summary>
    public static string NewClientSecretValue()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~";
        var chars = new char[40];
        for (var i = 0; i < 3; i++)
        {
            chars[i] = alphabet[RandomNumberGenerator.GetInt32(62)];
        }

        chars[3] = (char)('0' + RandomNumberGenerator.GetInt32(10));
        chars[4] = 'Q';
        chars[5] = '~';
        for (var i = 6; i < chars.Length; i++)
        {
            chars[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        }

        return new string(chars);
    }

    /// <summary>Grants one app role of a resource to a principal (what "Grant admin consent" creates).</summary>
    public static AppRoleAssignment Consent(TenantModel model, EntraServicePrincipal principal, Guid resourceId, System.Collections.Generic.Dictionary<string, Guid> roles, string roleValue, DateTimeOffset effectiveAt)
    {
        var assignment = new AppRoleAssignment
        {
            PrincipalId = principal.ObjectId,
            ResourceId = resourceId,
            AppRoleId = roles[roleValue],
            RoleValue = roleValue,
            EffectiveAt = effectiveAt,
        };
        model.AppRoleAssignments.Add(assignment);
        return assignment;
    }

    private static void Clear(TenantModel model)
    {
        model.ExchangeAppRoles.Clear();
        model.GraphAppRoles.Clear();
        model.ExchangeDelegatedScopes.Clear();
        model.GraphDelegatedScopes.Clear();
        model.Administrator = null;
        model.AdministratorGraphScopes.Clear();
        model.Applications.Clear();
        model.ServicePrincipals.Clear();
        model.AppRoleAssignments.Clear();
        model.DelegatedGrants.Clear();
        model.Users.Clear();
        model.ExchangeServicePrincipals.Clear();
        model.Mailboxes.Clear();
        model.MailboxPermissions.Clear();
        model.RecipientPermissions.Clear();
        model.AuthenticationPolicies.Clear();
        model.DefaultAuthenticationPolicy = null;
        model.ManagementScopes.Clear();
        model.ManagementRoleAssignments.Clear();
        model.Groups.Clear();
        model.PropagationDelays.Clear();
        model.ConditionalAccessPolicies.Clear();
    }

    private static void AddResources(TenantModel model)
    {
        model.ExchangeResourceServicePrincipalId = Guid.NewGuid();
        model.GraphResourceServicePrincipalId = Guid.NewGuid();
        foreach (var value in ExchangeRoleValues)
        {
            model.ExchangeAppRoles[value] = Guid.NewGuid();
        }

        foreach (var value in GraphRoleValues)
        {
            model.GraphAppRoles[value] = Guid.NewGuid();
        }

        foreach (var value in ExchangeScopeValues)
        {
            model.ExchangeDelegatedScopes[value] = Guid.NewGuid();
        }

        foreach (var value in GraphScopeValues)
        {
            model.GraphDelegatedScopes[value] = Guid.NewGuid();
        }

        model.ServicePrincipals.Add(new EntraServicePrincipal
        {
            ObjectId = model.ExchangeResourceServicePrincipalId,
            AppId = TenantModel.ExchangeResourceAppId,
            DisplayName = "Office 365 Exchange Online",
        });
        model.ServicePrincipals.Add(new EntraServicePrincipal
        {
            ObjectId = model.GraphResourceServicePrincipalId,
            AppId = TenantModel.GraphResourceAppId,
            DisplayName = "Microsoft Graph",
        });
    }

    private static Mailbox AddMailboxUser(TenantModel model, string alias, string displayName, string address, string type, DateTimeOffset now)
    {
        var user = new EntraUser { ObjectId = Guid.NewGuid(), UserPrincipalName = address, DisplayName = displayName };
        model.Users.Add(user);
        var mailbox = new Mailbox
        {
            ExternalDirectoryObjectId = user.ObjectId,
            Alias = alias,
            Name = alias,
            DisplayName = displayName,
            PrimarySmtpAddress = address,
            UserPrincipalName = address,
            RecipientTypeDetails = type,
            SkuAssigned = string.Equals(type, "UserMailbox", StringComparison.Ordinal),
            EffectiveAt = now,
            SmtpSettingEffectiveAt = now,
        };
        mailbox.ProxyAddresses.Add("SMTP:" + address);
        mailbox.ProxyAddresses.Add($"smtp:{alias}@{InitialDomain}");
        model.Mailboxes.Add(mailbox);
        return mailbox;
    }

    private static (AppRegistration App, EntraServicePrincipal EnterpriseApp, string Secret) AddMailerApp(TenantModel model, DateTimeOffset now)
    {
        var app = new AppRegistration
        {
            AppId = Guid.NewGuid(),
            ObjectId = Guid.NewGuid(),
            DisplayName = AppDisplayName,
            // "Allow public client flows" = Yes, so the same registration serves the device-code flow.
            IsPublicClient = true,
        };
        var secret = NewClientSecretValue();
        app.Secrets.Add(new ClientSecret { DisplayName = "oauthsmtp", Value = secret, StartDateTime = now.AddDays(-1), EndDateTime = now.AddDays(180) });
        var exchange = new RequiredResourceAccess { ResourceAppId = TenantModel.ExchangeResourceAppId };
        exchange.ResourceAccess.Add(new ResourceAccess(model.ExchangeAppRoles["SMTP.SendAsApp"], "Role"));
        exchange.ResourceAccess.Add(new ResourceAccess(model.ExchangeDelegatedScopes["SMTP.Send"], "Scope"));
        app.RequiredResourceAccess.Add(exchange);
        app.RedirectUris.Add("http://localhost");
        model.Applications.Add(app);
        var enterpriseApp = new EntraServicePrincipal { ObjectId = Guid.NewGuid(), AppId = app.AppId, DisplayName = AppDisplayName };
        model.ServicePrincipals.Add(enterpriseApp);
        return (app, enterpriseApp, secret);
    }

    /// <summary>The tenant's administrator: no mailbox, Global Administrator (Set-EmuAdmin changes roles and consented scopes).</summary>
    private static EntraUser AddAdministrator(TenantModel model)
    {
        var admin = new EntraUser { ObjectId = Guid.NewGuid(), UserPrincipalName = AdministratorAddress, DisplayName = "Contoso Administrator" };
        admin.DirectoryRoles.Add(DirectoryRoleTemplates.GlobalAdministrator);
        model.Users.Add(admin);
        return admin;
    }

    private static EntraServicePrincipal AddManagedIdentity(TenantModel model, string name, bool systemAssigned, string? resourceId)
    {
        var identity = new EntraServicePrincipal
        {
            ObjectId = Guid.NewGuid(),
            AppId = Guid.NewGuid(),
            DisplayName = name,
            IsManagedIdentity = true,
            IsSystemAssignedManagedIdentity = systemAssigned,
            ManagedIdentityResourceId = resourceId,
        };
        model.ServicePrincipals.Add(identity);
        return identity;
    }
}
