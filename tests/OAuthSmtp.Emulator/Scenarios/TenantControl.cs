using System;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using OAuthSmtp.Emulator.Model;

namespace OAuthSmtp.Emulator;

/// <summary>
/// Changes a test (or Set-EmuApplication / Set-EmuTenantPolicy) makes to the Entra side of the tenant, each the
/// model of a portal action. They act on the scenario's app registration (<see cref="ScenarioInfo.ClientId"/>).
/// </summary>
public sealed class TenantControl
{
    private readonly ExchangeOnlineEmulator _emulator;

    internal TenantControl(ExchangeOnlineEmulator emulator)
    {
        _emulator = emulator;
    }

    private TenantModel Model => _emulator.Tenant;

    /// <summary>Every client secret of the app ends yesterday (AADSTS7000222 on use).</summary>
    public void ExpireSecrets()
    {
        lock (Model.SyncRoot)
        {
            foreach (var secret in App().Secrets)
            {
                secret.EndDateTime = _emulator.Clock.UtcNow.AddDays(-1);
            }
        }
    }

    /// <summary>"Grant admin consent": SMTP.SendAsApp on Exchange and the delegated SMTP.Send, effective after the Consent delay.</summary>
    public void GrantConsent()
    {
        lock (Model.SyncRoot)
        {
            var sp = EnterpriseApp();
            var effectiveAt = Model.EffectiveFromNow(ChangeKind.Consent);
            if (!Model.AppRoleAssignments.Any(a => a.PrincipalId == sp.ObjectId && a.RoleValue == "SMTP.SendAsApp" && a.ResourceId == Model.ExchangeResourceServicePrincipalId))
            {
                Scenarios.ScenarioBuilder.Consent(Model, sp, Model.ExchangeResourceServicePrincipalId, Model.ExchangeAppRoles, "SMTP.SendAsApp", effectiveAt);
            }

            if (!Model.DelegatedGrants.Any(g => g.ClientId == sp.ObjectId))
            {
                Model.DelegatedGrants.Add(new DelegatedGrant { ClientId = sp.ObjectId, ResourceId = Model.ExchangeResourceServicePrincipalId, Scope = "SMTP.Send offline_access openid profile" });
            }
        }
    }

    /// <summary>
    /// Grants (or, with <paramref name="granted"/> false, removes) an Exchange app role of a managed identity, named by
    /// display name, client id or object id. A grant is in the identity's tokens only after the ManagedIdentityRoles
    /// delay (Azure's token cache); a removal applies at once. Returns false when no managed identity matches.
    /// </summary>
    public bool SetManagedIdentityRole(string identity, string role = "SMTP.SendAsApp", bool granted = true)
    {
        lock (Model.SyncRoot)
        {
            var sp = Model.ServicePrincipals.FirstOrDefault(s => s.IsManagedIdentity &&
                (string.Equals(s.DisplayName, identity, StringComparison.OrdinalIgnoreCase) || string.Equals(s.AppId.ToString(), identity, StringComparison.OrdinalIgnoreCase)
                 || string.Equals(s.ObjectId.ToString(), identity, StringComparison.OrdinalIgnoreCase)));
            if (sp is null) return false;
            Model.AppRoleAssignments.RemoveAll(a => a.PrincipalId == sp.ObjectId && a.RoleValue == role && a.ResourceId == Model.ExchangeResourceServicePrincipalId);
            if (granted) Scenarios.ScenarioBuilder.Consent(Model, sp, Model.ExchangeResourceServicePrincipalId, Model.ExchangeAppRoles, role, Model.Clock.UtcNow);
            return true;
        }
    }

    /// <summary>Removes the app's consent on Exchange (app role and delegated grant); Graph consent stays.</summary>
    public void RevokeConsent()
    {
        lock (Model.SyncRoot)
        {
            var sp = EnterpriseApp();
            Model.AppRoleAssignments.RemoveAll(a => a.PrincipalId == sp.ObjectId && a.ResourceId == Model.ExchangeResourceServicePrincipalId);
            Model.DelegatedGrants.RemoveAll(g => g.ClientId == sp.ObjectId);
        }
    }

    /// <summary>
    /// The classic permission mix-up: the app requests and holds Microsoft Graph's Mail.Send application permission
    /// (Graph's sendMail) instead of Office 365 Exchange Online's SMTP.SendAsApp. The SMTP.SendAsApp request and its
    /// consent are removed, Graph Mail.Send is requested and consented; the app's SMTP tokens then carry no roles.
    /// </summary>
    public void UseGraphMailSendInsteadOfSmtp()
    {
        lock (Model.SyncRoot)
        {
            var app = App();
            var sp = EnterpriseApp();
            var sendAsApp = Model.ExchangeAppRoles["SMTP.SendAsApp"];
            foreach (var entry in app.RequiredResourceAccess.Where(r => r.ResourceAppId == TenantModel.ExchangeResourceAppId))
            {
                entry.ResourceAccess.RemoveAll(a => a.Id == sendAsApp && a.Type == "Role");
            }

            var mailSend = Model.GraphAppRoles["Mail.Send"];
            var graph = app.RequiredResourceAccess.FirstOrDefault(r => r.ResourceAppId == TenantModel.GraphResourceAppId);
            if (graph is null)
            {
                graph = new RequiredResourceAccess { ResourceAppId = TenantModel.GraphResourceAppId };
                app.RequiredResourceAccess.Add(graph);
            }

            if (!graph.ResourceAccess.Any(a => a.Id == mailSend && a.Type == "Role"))
            {
                graph.ResourceAccess.Add(new ResourceAccess(mailSend, "Role"));
            }

            Model.AppRoleAssignments.RemoveAll(a => a.PrincipalId == sp.ObjectId && a.ResourceId == Model.ExchangeResourceServicePrincipalId && a.RoleValue == "SMTP.SendAsApp");
            if (!Model.AppRoleAssignments.Any(a => a.PrincipalId == sp.ObjectId && a.ResourceId == Model.GraphResourceServicePrincipalId && a.RoleValue == "Mail.Send"))
            {
                Scenarios.ScenarioBuilder.Consent(Model, sp, Model.GraphResourceServicePrincipalId, Model.GraphAppRoles, "Mail.Send", _emulator.Clock.UtcNow);
            }
        }
    }

    /// <summary>
    /// Deletes only the app's enterprise application (its service principal, with its consents and grants), keeping
    /// the app registration: the token service then answers AADSTS700016, as for an app registered in the portal whose
    /// enterprise application was deleted (or, made by script, never created). Exchange's pointer is left as it was.
    /// </summary>
    public void RemoveEnterpriseApplication()
    {
        lock (Model.SyncRoot)
        {
            var sp = EnterpriseApp();
            Model.AppRoleAssignments.RemoveAll(a => a.PrincipalId == sp.ObjectId);
            Model.DelegatedGrants.RemoveAll(g => g.ClientId == sp.ObjectId);
            Model.ServicePrincipals.Remove(sp);
        }
    }

    /// <summary>Enterprise app "Enabled for users to sign-in" (accountEnabled); false gives AADSTS7000112.</summary>
    public void SetApplicationEnabled(bool enabled)
    {
        lock (Model.SyncRoot)
        {
            EnterpriseApp().AccountEnabled = enabled;
        }
    }

    /// <summary>Deletes the app registration and its enterprise app (AADSTS700016 afterwards).</summary>
    public void RemoveApplication()
    {
        lock (Model.SyncRoot)
        {
            var app = App();
            var sps = Model.ServicePrincipals.Where(s => s.AppId == app.AppId).Select(s => s.ObjectId).ToList();
            Model.AppRoleAssignments.RemoveAll(a => sps.Contains(a.PrincipalId));
            Model.DelegatedGrants.RemoveAll(g => sps.Contains(g.ClientId));
            Model.ServicePrincipals.RemoveAll(s => s.AppId == app.AppId);
            Model.Applications.Remove(app);
        }
    }

    /// <summary>
    /// The scenario administrator's directory roles (names as the portal shows them or role template ids; empty = an
    /// ordinary member) and, when given, the delegated Graph scopes already consented for Microsoft Graph Command Line
    /// Tools (replacing the consented set; Connect-MgGraph -Scopes may add more if a role allows consenting).
    /// </summary>
    /// <exception cref="ArgumentException">A role name the emulator does not know.</exception>
    public void SetAdministrator(System.Collections.Generic.IEnumerable<string>? roles = null, System.Collections.Generic.IEnumerable<string>? consentedGraphScopes = null, bool? usersCanRegisterApplications = null)
    {
        lock (Model.SyncRoot)
        {
            var admin = Model.Administrator ?? throw new InvalidOperationException("This scenario has no administrator.");
            if (roles is not null)
            {
                var ids = roles.Select(r => DirectoryRoleTemplates.Find(r) ?? throw new ArgumentException(
                    $"Unknown directory role '{r}'. Known: {string.Join(", ", DirectoryRoleTemplates.Names.Values)}.", nameof(roles))).ToList();
                admin.DirectoryRoles.Clear();
                admin.DirectoryRoles.AddRange(ids.Distinct());
            }

            if (consentedGraphScopes is not null)
            {
                Model.AdministratorGraphScopes.Clear();
                Model.AdministratorGraphScopes.AddRange(consentedGraphScopes.Distinct(StringComparer.OrdinalIgnoreCase));
            }

            if (usersCanRegisterApplications is not null)
            {
                Model.Tenant.UsersCanRegisterApplications = usersCanRegisterApplications.Value;
            }
        }
    }

    /// <summary>"Upload certificate": the public part only, with its validity.</summary>
    public ClientCertificate AddCertificate(X509Certificate2 certificate)
    {
        var entry = new ClientCertificate
        {
            RawData = certificate.RawData,
            Thumbprint = certificate.Thumbprint,
            StartDateTime = certificate.NotBefore.ToUniversalTime(),
            EndDateTime = certificate.NotAfter.ToUniversalTime(),
        };
        lock (Model.SyncRoot)
        {
            App().Certificates.Add(entry);
        }

        return entry;
    }

    /// <summary>Entra security defaults (Graph identitySecurityDefaultsEnforcementPolicy.isEnabled).</summary>
    public void SetSecurityDefaults(bool enabled)
    {
        lock (Model.SyncRoot)
        {
            Model.Tenant.SecurityDefaultsEnabled = enabled;
        }
    }

    /// <summary>A conditional access policy blocking all users and workload identities (AADSTS53003), listed by Graph.</summary>
    public void SetConditionalAccessBlock(bool enabled)
    {
        const string name = "Block all sign-ins (emulator)";
        lock (Model.SyncRoot)
        {
            Model.Tenant.ConditionalAccessBlock = enabled;
            Model.ConditionalAccessPolicies.RemoveAll(p => p.DisplayName == name);
            if (enabled)
            {
                Model.ConditionalAccessPolicies.Add(new ConditionalAccessPolicy { DisplayName = name, CreatedDateTime = _emulator.Clock.UtcNow });
            }
        }
    }

    /// <summary>Per-user MFA state for delegated flows: required (50076 on refresh) or not yet registered (50079).</summary>
    public void SetUserMfa(string userPrincipalName, bool mfaRequired, bool registrationRequired = false)
    {
        lock (Model.SyncRoot)
        {
            var user = Model.Users.FirstOrDefault(u => string.Equals(u.UserPrincipalName, userPrincipalName, StringComparison.OrdinalIgnoreCase))
                ?? throw new ArgumentException($"No user '{userPrincipalName}' in the tenant.", nameof(userPrincipalName));
            user.MfaRequired = mfaRequired;
            user.MfaRegistrationRequired = registrationRequired;
        }
    }

    /// <summary>How long changes of a kind take to reach token and SMTP decisions (default zero).</summary>
    public void SetPropagationDelay(ChangeKind kind, TimeSpan delay)
    {
        lock (Model.SyncRoot)
        {
            Model.PropagationDelays[kind] = delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
        }
    }

    private AppRegistration App()
    {
        var clientId = _emulator.Current.ClientId ?? throw new InvalidOperationException("The current scenario has no app registration (scenario Empty).");
        return Model.Applications.FirstOrDefault(a => a.AppId == clientId)
            ?? throw new InvalidOperationException($"The app registration '{clientId}' was removed.");
    }

    private EntraServicePrincipal EnterpriseApp()
    {
        var app = App();
        return Model.ServicePrincipals.First(s => s.AppId == app.AppId && !s.IsManagedIdentity);
    }
}
