using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using OAuthSmtp.Emulator.Model;
using OAuthSmtp.Hosting;
using Xunit;

namespace OAuthSmtp.Emulator.Tests.Exchange;

/// <summary>
/// One emulator and one hosted PowerShell session with the Exchange admin module imported, shared by the tests of a
/// class. <see cref="Reset"/> puts the tenant back to a known state (two mailboxes, nothing granted) and connects.
/// </summary>
public sealed class ExchangeAdminSession : IAsyncLifetime
{
    public const string InitialDomain = "contoso.onmicrosoft.com";
    public const string AlertsAddress = "alerts@contoso.com";
    public const string SalesAddress = "sales@contoso.com";
    public const string GroupDn = "CN=SMTP Senders,OU=contoso.onmicrosoft.com,OU=Microsoft Exchange Hosted Organizations,DC=NAMPR01A001,DC=PROD,DC=OUTLOOK,DC=COM";

    public static readonly Guid TenantId = Guid.Parse("6a1f7c3e-2b4d-4e8f-9a0b-1c2d3e4f5a6b");
    public static readonly Guid AppId = Guid.Parse("0d8a2c55-7b1e-4c3f-8e9d-5a6b7c8d9e0f");
    public static readonly Guid AppObjectId = Guid.Parse("1e9b3d66-8c2f-4d40-9fae-6b7c8d9e0f1a");
    public static readonly Guid EnterpriseAppObjectId = Guid.Parse("2fac4e77-9d30-4e51-a0bf-7c8d9e0f1a2b");

    public ExchangeOnlineEmulator Emulator { get; private set; } = null!;

    public PowerShellSession Shell { get; private set; } = null!;

    public TenantModel Tenant => Emulator.Tenant;

    /// <summary>The admin module manifest as the build lays it out beside the emulator's PowerShell assembly.</summary>
    public static string ModulePath => Path.Combine(AppContext.BaseDirectory, "modules", "OAuthSmtp.Emulator.Exchange.psd1");

    public async Task InitializeAsync()
    {
        Emulator = await ExchangeOnlineEmulator.StartAsync(new EmulatorOptions { PropagationDelays = PropagationDefaults.Quick });
        var options = new PowerShellSessionOptions();
        options.Modules.Add(ModulePath);
        options.Variables["OAuthSmtpEmulator"] = Emulator;
        Shell = new PowerShellSession(options);
    }

    public async Task DisposeAsync()
    {
        Shell?.Dispose();
        if (Emulator is not null) await Emulator.DisposeAsync();
    }

    /// <summary>A tenant with an app registration, its enterprise app, two mailboxes and a group; nothing done in Exchange.</summary>
    public void Reset(bool connect = true)
    {
        lock (Tenant.SyncRoot)
        {
            Emulator.Clock.Reset();
            Tenant.Tenant = new Tenant { TenantId = TenantId, InitialDomain = InitialDomain, DisplayName = "Contoso" };
            Tenant.Tenant.VerifiedDomains.Add("contoso.com");
            Tenant.Applications.Clear();
            Tenant.Applications.Add(new AppRegistration { AppId = AppId, ObjectId = AppObjectId, DisplayName = "OAuthSmtp Mailer" });
            Tenant.ServicePrincipals.Clear();
            Tenant.ServicePrincipals.Add(new EntraServicePrincipal { AppId = AppId, ObjectId = EnterpriseAppObjectId, DisplayName = "OAuthSmtp Mailer" });
            Tenant.ExchangeServicePrincipals.Clear();
            Tenant.Mailboxes.Clear();
            Tenant.Mailboxes.Add(NewMailbox("alerts", "Alerts", AlertsAddress, "UserMailbox"));
            Tenant.Mailboxes.Add(NewMailbox("sales", "Sales", SalesAddress, "SharedMailbox"));
            Tenant.MailboxPermissions.Clear();
            Tenant.RecipientPermissions.Clear();
            Tenant.TransportConfig = new TransportConfig { SmtpClientAuthenticationDisabled = true };
            Tenant.AuthenticationPolicies.Clear();
            Tenant.DefaultAuthenticationPolicy = null;
            Tenant.ManagementScopes.Clear();
            Tenant.ManagementRoleAssignments.Clear();
            Tenant.Groups.Clear();
            var group = new DistributionGroup { Name = "SMTP Senders", DistinguishedName = GroupDn };
            group.Members.Add(AlertsAddress);
            Tenant.Groups.Add(group);
            Tenant.PropagationDelays.Clear();
        }

        Run("Disconnect-ExchangeOnline -Confirm:$false");
        if (connect) Run("Connect-ExchangeOnline -UserPrincipalName admin@contoso.onmicrosoft.com -ShowBanner:$false");
    }

    /// <summary>Runs a script and fails the test on any error.</summary>
    public ScriptResult Run(string script)
    {
        var result = Shell.Run(script);
        Assert.True(result.TerminatingError is null && result.Errors.Count == 0, $"Script failed: {script}\n{result.ErrorText}");
        return result;
    }

    /// <summary>Runs a script that is expected to fail; returns its result.</summary>
    public ScriptResult RunExpectingError(string script)
    {
        var result = Shell.Run(script);
        Assert.True(result.AllErrors.Any(), $"Script was expected to fail but did not: {script}");
        return result;
    }

    public static object? Property(PSObject item, string name) => item.Properties[name]?.Value is { } value
        ? (value is PSObject ps ? ps.BaseObject : value)
        : null;

    private static Mailbox NewMailbox(string alias, string displayName, string address, string type)
    {
        var mailbox = new Mailbox
        {
            Alias = alias,
            DisplayName = displayName,
            PrimarySmtpAddress = address,
            UserPrincipalName = alias + "@" + InitialDomain,
            RecipientTypeDetails = type,
            SkuAssigned = type == "UserMailbox",
            ExternalDirectoryObjectId = Guid.NewGuid(),
        };
        mailbox.ProxyAddresses.Add("smtp:" + alias + "@" + InitialDomain);
        return mailbox;
    }
}
